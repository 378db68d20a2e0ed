import type { Namespace } from 'socket.io';

/** Open sockets by transport and the rooms in use on this node, read when Prometheus scrapes. */
export function socketStats(nsp: Pick<Namespace, 'sockets' | 'adapter'>): {
  byTransport: Record<string, number>;
  rooms: number;
} {
  const byTransport: Record<string, number> = {};
  for (const socket of nsp.sockets.values()) {
    const t = socket.conn.transport.name;
    byTransport[t] = (byTransport[t] ?? 0) + 1;
  }
  // Every socket sits in a room named by its own id; those are not rooms anyone joined.
  return { byTransport, rooms: Math.max(0, nsp.adapter.rooms.size - nsp.sockets.size) };
}
