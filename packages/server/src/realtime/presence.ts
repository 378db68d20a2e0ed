import type { Role } from '@slotcast/protocol';
import type { Namespace, Server } from 'socket.io';

export interface PresenceCounts {
  total: number;
  byRole: Record<Role, number>;
}
export interface Presence extends PresenceCounts {
  byNode: ({ node: string } & PresenceCounts)[];
}

const NODE_KEY = 'node';

/** Stamps each socket with the node that holds it, so a cluster-wide fetchSockets can count per node. */
export function tagSocketsWithNode(io: Server, nodeId: string): void {
  // Runs after the gateway's authentication middleware, which sets socket.data with an empty `node`: filling it in
  // keeps the object's shape (a field added later would give every socket's data a second backing store).
  io.use((socket, next) => {
    (socket.data as Record<string, unknown>)[NODE_KEY] = nodeId;
    next();
  });
}

/** The nodes that hold a socket in `room`, across the cluster (fetchSockets goes through the adapter). */
export async function nodesIn(nsp: Pick<Namespace, 'in'>, room: string): Promise<Set<string>> {
  const sockets = await nsp.in(room).fetchSockets();
  return new Set(sockets.map((s) => String((s.data as Record<string, unknown>)[NODE_KEY])));
}

const empty = (): PresenceCounts => ({ total: 0, byRole: { customer: 0, staff: 0, admin: 0 } });

/** Open sockets of the whole cluster (every node answers fetchSockets through the adapter). */
export async function countPresence(io: Server): Promise<Presence> {
  const sockets = await io.fetchSockets();
  const all = empty();
  const byNode = new Map<string, PresenceCounts>();
  for (const s of sockets) {
    const data = s.data as { claims?: { role?: string }; [NODE_KEY]?: string };
    const role = (data.claims?.role ?? 'customer') as Role;
    const node = data[NODE_KEY] ?? 'unknown';
    const n = byNode.get(node) ?? byNode.set(node, empty()).get(node)!;
    for (const c of [all, n]) {
      c.total++;
      if (role in c.byRole) c.byRole[role]++;
    }
  }
  return {
    ...all,
    byNode: [...byNode].map(([node, c]) => ({ node, ...c })).sort((a, b) => a.node.localeCompare(b.node)),
  };
}
