import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ClientToServerEvents, HandshakeAuth, ServerToClientEvents, SocketErrorBody } from '@slotcast/protocol';
import { Server, type Socket } from 'socket.io';

export type ServerSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

export interface RealtimeTestServer {
  url: string;
  io: Server<ClientToServerEvents, ServerToClientEvents>;
  /** Every handshake's auth, in order (refused ones too). */
  handshakes: HandshakeAuth[];
  /** Decides each handshake: a coded refusal, a plain error (a network-ish failure), or null to accept. */
  refuse: (auth: HandshakeAuth, n: number) => SocketErrorBody | Error | null;
  /** Resolves with the next accepted socket. */
  nextSocket(): Promise<ServerSocket>;
  connected(): ServerSocket[];
  close(): Promise<void>;
}

/** A real Socket.IO server on an ephemeral loopback port, scripted by the test. */
export async function startRealtimeServer(
  opts: { transports?: ('polling' | 'websocket')[]; allowUpgrades?: boolean } = {},
): Promise<RealtimeTestServer> {
  const http = createServer();
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(http, {
    transports: opts.transports ?? ['polling', 'websocket'],
    allowUpgrades: opts.allowUpgrades ?? true,
    pingInterval: 60_000,
  });
  const waiters: ((s: ServerSocket) => void)[] = [];
  const server: RealtimeTestServer = {
    url: '',
    io,
    handshakes: [],
    refuse: () => null,
    nextSocket: () => new Promise((resolve) => waiters.push(resolve)),
    connected: () => [...io.sockets.sockets.values()],
    async close() {
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
  io.use((socket, next) => {
    const auth = socket.handshake.auth as HandshakeAuth;
    server.handshakes.push(auth);
    const refusal = server.refuse(auth, server.handshakes.length);
    if (!refusal) return next();
    if (refusal instanceof Error) return next(refusal);
    const err = new Error(refusal.message) as Error & { data: SocketErrorBody };
    err.data = refusal;
    next(err);
  });
  io.on('connection', (socket) => waiters.shift()?.(socket));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  server.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return server;
}
