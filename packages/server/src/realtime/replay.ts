import type { EventEnvelope, ResyncRequired } from '@slotcast/protocol';
import type { StoredEvent } from '../bus/event-bus.js';
import type { EventScope, RealtimeAccess } from '../usecases/realtime-access.js';

export interface ReplaySource {
  access: Pick<RealtimeAccess, 'readScoped' | 'prunedThrough' | 'latestEventId'>;
  /** Highest event id this node has already emitted to its rooms. */
  emittedThrough(): number;
  /** Resolves once this node has emitted through `id`, or after `timeoutMs` (the bus's progress, not a poll). */
  emitted(id: number, timeoutMs: number): Promise<void>;
  /** The events this node emitted after `afterId`, kept in memory; null when they are no longer all kept. */
  emittedSince(afterId: number): readonly StoredEvent[] | null;
  /** Whether the socket is a recipient of an event (its rooms; the same rule as `scope`). */
  visible(e: StoredEvent): boolean;
}

/** How long a cursor from another node, ahead of this node's bus, is waited for before it counts as ahead of the log. */
const AHEAD_WAIT_MS = 2_000;

export type ReplayOutcome =
  | { kind: 'replayed'; lastEventId: number; replayed: number }
  | { kind: 'resync'; info: ResyncRequired };

const PAGE = 1000;

/**
 * Sends the events after `cursor` that `scope` may see, then calls `goLive` with no await in between the final check
 * and the call. Replay covers ids up to what the node has emitted; anything later reaches the socket live through its
 * rooms, so nothing falls between the two and nothing is sent twice — even while writers keep committing.
 */
export async function replayThenGoLive(
  src: ReplaySource,
  scope: EventScope,
  cursor: number,
  send: (batch: EventEnvelope[]) => void,
  goLive: () => void,
  isGone: () => boolean,
): Promise<ReplayOutcome> {
  // Replays wait for a turn; one whose client left meanwhile (its connect timed out) costs no read.
  if (isGone()) return { kind: 'replayed', lastEventId: cursor, replayed: 0 };
  const pruned = await src.access.prunedThrough();
  // A cursor from another node can be a little ahead of this node's bus: if the log has it, wait for the bus to
  // deliver it (woken by the delivery itself), boundedly.
  if (cursor > src.emittedThrough() && cursor <= (await src.access.latestEventId())) {
    await src.emitted(cursor, AHEAD_WAIT_MS);
  }
  if (cursor < pruned || cursor > src.emittedThrough()) {
    const latest = src.emittedThrough();
    goLive();
    return {
      kind: 'resync',
      info: {
        code: 'RESYNC_REQUIRED',
        message:
          cursor < pruned
            ? `Events after ${cursor} are past the retention window; reload over REST and continue from latestEventId`
            : `Cursor ${cursor} is ahead of the log; reload over REST and continue from latestEventId`,
        oldestEventId: pruned + 1,
        latestEventId: latest,
      },
    };
  }
  let sent = cursor;
  let replayed = 0;
  for (;;) {
    const high = src.emittedThrough();
    while (sent < high) {
      const rows = await src.access.readScoped(scope, sent, high, PAGE);
      if (isGone()) return { kind: 'replayed', lastEventId: sent, replayed };
      if (rows.length > 0) {
        send(rows.map((r) => r.envelope));
        replayed += rows.length;
      }
      // A short page means everything visible up to `high` is sent.
      sent = rows.length === PAGE ? rows.at(-1)!.envelope.id : high;
    }
    // Synchronous from here: what the node emitted while the log was read is still in memory; sending the socket's
    // share of it and joining the rooms in the same step misses nothing, however busy the writers are (waiting for a
    // quiet moment instead could wait for as long as they keep committing).
    const tail = src.emittedSince(high);
    if (tail !== null) {
      const mine = tail.filter((e) => src.visible(e));
      if (mine.length > 0) send(mine.map((e) => e.envelope));
      goLive();
      return { kind: 'replayed', lastEventId: src.emittedThrough(), replayed: replayed + mine.length };
    }
  }
}
