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
}

interface EngineConnection {
  transport: WsTransport;
  once(event: 'upgrade', listener: (transport: WsTransport) => void): void;
}

/**
 * Transports corked in this turn and their TCP sockets, released together by one setImmediate. Kept here rather than
 * on each transport: a property or listener per socket is heap for as long as it is open (docs/performance.md).
 */
const corked = new Map<WsTransport, Duplex>();
let releaseScheduled = false;

function release(): void {
  releaseScheduled = false;
  const list = [...corked];
  corked.clear();
  for (const [t, raw] of list) {
    raw.uncork();
    // Now written (or queued in the socket): like after any send, engine.io takes more once ws reports them sent.
    t.writable = false;
  }
}

/** WebSocket transport classes whose `send` coalesces (one, engine.io's, in practice). */
const patched = new WeakSet<object>();

/**
 * Makes every WebSocket transport of this class coalesce its sends: patched once on the class, not per socket. Every
 * engine.io server of the process then coalesces, which is what each gateway asks for.
 */
function coalesceClass(transport: WsTransport): void {
  const proto = Object.getPrototypeOf(transport) as WsTransport;
  if (patched.has(proto)) return;
  patched.add(proto);
  const original = proto.send;
  proto.send = function coalescingSend(this: WsTransport, packets: unknown[]): void {
    const raw = this.socket?._socket;
    if (!raw || raw.destroyed) {
      original.call(this, packets);
      return;
    }
    if (!corked.has(this)) {
      raw.cork();
      corked.set(this, raw);
      if (!releaseScheduled) {
        releaseScheduled = true;
        setImmediate(release);
      }
    }
    original.call(this, packets);
    // Still this turn: the next packet joins the same write rather than waiting for this one to be sent.
    this.writable = true;
  };
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
  let wsPatched = false;
  io.engine.on('connection', (conn: EngineConnection) => {
    if (wsPatched) return;
    if (conn.transport.name === 'websocket') {
      coalesceClass(conn.transport);
      wsPatched = true;
    } else {
      // Polling first: the class is patched by the first upgrade (until then, one listener on such connections).
      conn.once('upgrade', (t) => {
        if (t.name !== 'websocket' || wsPatched) return;
        coalesceClass(t);
        wsPatched = true;
      });
    }
  });
}
