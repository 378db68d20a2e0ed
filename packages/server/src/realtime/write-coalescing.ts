import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { GatewayServer } from './socket-types.js';

/**
 * The frames a WebSocket is sent within one turn of the event loop leave in one write.
 *
 * engine.io hands a socket's packets to `ws` one flush at a time and waits for each write to complete before the next
 * flush, and `ws` writes every frame on its own: a reconnecting client cost six writes — the upgrade's 101, engine.io's
 * open, Socket.IO's connect, `session`, the replayed `events` and `replay:done` — although they come in three bursts.
 * Each write is a system call and a TCP segment for the client to read; in a reconnect storm the node's writes were a
 * fifth of its CPU (docs/performance.md, "Reconnect storm, 2026-11-29 04:00"). Corking the TCP socket for the rest of
 * the turn makes each burst one write (two for a first connection), and live fan-out, already one frame per socket
 * per batch, is unchanged.
 *
 * Order and back-pressure are engine.io's: frames keep their order within the socket's stream, and once the corked
 * writes are released the transport waits for them to complete, as it did for one, before it takes more.
 */

interface WsTransport {
  name: string;
  writable: boolean;
  send(packets: unknown[]): void;
  /** The `ws` WebSocket, whose `_socket` is the TCP socket. */
  socket?: { _socket?: Duplex };
  [CORKED]?: Duplex | null;
}

interface EngineConnection {
  transport: WsTransport;
  on(event: 'upgrade', listener: (transport: WsTransport) => void): void;
}

const CORKED = Symbol('corked until the turn ends');

/** Transports corked in this turn, released together by one setImmediate. */
let corked: WsTransport[] = [];
let releaseScheduled = false;

function release(): void {
  releaseScheduled = false;
  const list = corked;
  corked = [];
  for (const t of list) {
    const raw = t[CORKED];
    t[CORKED] = null;
    if (!raw) continue;
    raw.uncork();
    // Now written (or queued in the socket): like after any send, engine.io takes more once ws reports them sent.
    t.writable = false;
  }
}

function coalescingSend(this: WsTransport, packets: unknown[]): void {
  const raw = this.socket?._socket;
  const original = Object.getPrototypeOf(this).send as WsTransport['send'];
  if (!raw || raw.destroyed) {
    original.call(this, packets);
    return;
  }
  if (!this[CORKED]) {
    raw.cork();
    this[CORKED] = raw;
    corked.push(this);
    if (!releaseScheduled) {
      releaseScheduled = true;
      setImmediate(release);
    }
  }
  original.call(this, packets);
  // Still this turn: the next packet joins the same write rather than waiting for this one to be sent.
  this.writable = true;
}

function coalesce(transport: WsTransport): void {
  if (transport.name === 'websocket') transport.send = coalescingSend;
}

/** Coalesces the writes of every WebSocket of `io` (see above). */
export function coalesceWebSocketWrites(io: GatewayServer): void {
  // ws writes the 101 right after this event, and engine.io's open packet follows a few microtasks later, before the
  // connection exists for the 'connection' listener below. Only an accepted upgrade gets here: a refused one is
  // answered and destroyed before (which would drop a corked answer).
  io.engine.on('headers', (_headers: unknown, req: IncomingMessage) => {
    const raw = req.socket;
    if (!req.headers.upgrade || !raw || raw.writableCorked) return;
    raw.cork();
    setImmediate(() => raw.uncork());
  });
  io.engine.on('connection', (conn: EngineConnection) => {
    coalesce(conn.transport);
    conn.on('upgrade', coalesce);
  });
}
