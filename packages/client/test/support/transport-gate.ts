import { createHash } from 'node:crypto';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';

export interface TransportGate {
  /** Connect here instead of to the server. */
  url: string;
  /**
   * How many of the coming WebSocket upgrades to accept (a valid 101, as a proxy, a load balancer mid-deploy or a
   * restarting node gives) and close before the server has said anything, so that Engine.IO never gets its open
   * packet: 0 passes every one to the server, Infinity none (a network that drops WebSockets). HTTP always passes.
   */
  closeUpgrades: number;
  /** How a WebSocket is closed: a close frame (1001, going away), or the TCP connection cut without one (1006). */
  closeWith: 'close-frame' | 'cut';
  /** WebSocket upgrades accepted and closed so far. */
  closedUpgrades: number;
  /** WebSocket upgrades passed to the server so far. */
  passedUpgrades: number;
  /**
   * Every WebSocket upgrade in order, closed or passed: `direct` if it opened an Engine.IO connection (no session id),
   * `upgrade` if it upgraded one that began with polling.
   */
  upgrades: ('direct' | 'upgrade')[];
  /** Cuts every connection open through the gate (a node or proxy going away); new ones are served as before. */
  cutAll(): void;
  close(): Promise<void>;
}

// RFC 6455: the key the client sent, with this GUID, hashed; the client refuses a 101 whose accept value differs.
const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const GOING_AWAY = Buffer.from([0x88, 0x02, 0x03, 0xe9]);

/**
 * A TCP front for a server (Socket.IO or a whole Slotcast node) that closes connections early on command. It reads a
 * connection's request head to tell a WebSocket upgrade from an HTTP request, then either pipes the connection to the
 * server (head included) or answers it itself. A WebSocket always opens its own TCP connection, so the first request
 * decides for the whole connection.
 */
export async function startTransportGate(upstreamUrl: string): Promise<TransportGate> {
  const upstream = new URL(upstreamUrl);
  const open = new Set<Socket>();
  const track = (socket: Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => socket.destroy());
  };

  const server = createServer((client) => {
    track(client);
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      client.off('data', onData);
      const headers = head.subarray(0, end).toString('latin1');
      const key = /^sec-websocket-key:\s*(\S+)/im.exec(headers)?.[1];
      const isUpgrade = /^upgrade:\s*websocket/im.test(headers) && key !== undefined;
      if (isUpgrade) gate.upgrades.push(/^GET [^ ]*[?&]sid=/.test(headers) ? 'upgrade' : 'direct');
      if (isUpgrade && gate.closeUpgrades > 0) {
        gate.closeUpgrades--;
        gate.closedUpgrades++;
        acceptAndClose(client, key);
      } else {
        if (isUpgrade) gate.passedUpgrades++;
        pipeTo(client, head);
      }
    };
    client.on('data', onData);
  });

  const acceptAndClose = (client: Socket, key: string) => {
    const accept = createHash('sha1').update(`${key}${WEBSOCKET_GUID}`).digest('base64');
    client.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    if (gate.closeWith === 'cut') {
      client.end(() => client.destroy());
    } else {
      client.end(GOING_AWAY);
    }
  };

  const pipeTo = (client: Socket, head: Buffer) => {
    const server = connect(Number(upstream.port), upstream.hostname);
    track(server);
    server.on('close', () => client.destroy());
    client.on('close', () => server.destroy());
    server.write(head);
    client.pipe(server).pipe(client);
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const gate: TransportGate = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    closeUpgrades: 0,
    closeWith: 'close-frame',
    closedUpgrades: 0,
    passedUpgrades: 0,
    upgrades: [],
    cutAll: () => {
      for (const socket of open) socket.destroy();
    },
    close: async () => {
      gate.cutAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return gate;
}
