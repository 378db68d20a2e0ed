import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { LogTailer } from '../../packages/server/src/bus/log-tailer.js';
import type { Db } from '../../packages/server/src/store/db.js';

export interface BareServer {
  url: string;
  io: Server;
  close(): Promise<void>;
}

/**
 * The baseline: a bare Socket.IO server with the gateway's engine settings that authenticates nothing, puts each socket
 * in the same rooms the gateway would (its user, and its vendor for staff, named as the client says), and emits each
 * event from the same bus to the same rooms, one emit per event — what one writes without thinking about fan-out.
 */
export async function startBareServer(db: Db): Promise<BareServer> {
  const http = createServer();
  const io = new Server(http, {
    serveClient: false,
    maxHttpBufferSize: 16 * 1024,
    pingInterval: 20_000,
    pingTimeout: 20_000,
  });
  io.on('connection', (socket) => {
    const { userId, vendorId } = socket.handshake.auth as { userId?: string; vendorId?: string | null };
    socket.join(vendorId ? [`user:${userId}`, `vendor:${vendorId}`] : `user:${userId}`);
  });
  const bus = new LogTailer(db, { markPublished: true });
  bus.subscribe((batch) => {
    for (const e of batch) {
      const rooms = [`user:${e.customerId}`];
      if (e.vendorId) rooms.push(`vendor:${e.vendorId}`);
      io.to(rooms).emit('events', [e.envelope]);
    }
  });
  await bus.start();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    io,
    async close() {
      await bus.stop();
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}
