import type { Namespace } from 'socket.io';
import { nodesIn } from '../realtime/presence.js';
import { ADMIN_ROOM } from '../realtime/rooms.js';
import { withTimeout } from '../with-timeout.js';

const ASK_TIMEOUT_MS = 2000;

/**
 * Whether this node makes the live view's cluster-wide reads this interval: only while an admin watches, and then on
 * one node, the first by id among those holding an admin socket. A node with no admin of its own answers no at once,
 * without asking the cluster, so with nobody watching no node reads the database or asks Redis for the view.
 * When the elected node goes, its admins go with it and the next interval elects another; during a hand-over two
 * nodes may both read once, which costs a duplicate sample, never a missing figure for long.
 */
export async function isClusterReader(nsp: Pick<Namespace, 'in' | 'adapter'>, nodeId: string): Promise<boolean> {
  if (!nsp.adapter.rooms.get(ADMIN_ROOM)?.size) return false;
  try {
    const nodes = [...(await withTimeout(nodesIn(nsp, ADMIN_ROOM), ASK_TIMEOUT_MS))].sort();
    return nodes.length === 0 || nodes[0] === nodeId;
  } catch {
    // The cluster did not answer: an admin is here, so read rather than leave them without figures.
    return true;
  }
}
