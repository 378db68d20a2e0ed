import type { Queryable } from './db.js';
import { readAfter, type StoredEvent } from './event-log.js';

/**
 * The oldest unpublished events, each with the id of the event before it in the whole log: ids are taken in commit
 * order, so nothing can appear between the two later, and a consumer holding `prev` may take this one without a gap.
 * Only a suffix of the log is ever unpublished, so reading on from the first unpublished id reads only those.
 */
export async function readUnpublished(db: Queryable, limit: number): Promise<{ prev: number; event: StoredEvent }[]> {
  const [head] = await db.query<{ first: number | null; prev: number | null }>(
    `SELECT f.first, (SELECT max(id) FROM events WHERE id < f.first) AS prev
       FROM (SELECT min(id) AS first FROM events WHERE published_at IS NULL) f`,
  );
  if (!head?.first) return [];
  const events = await readAfter(db, Number(head.first) - 1, limit);
  let prev = Number(head.prev ?? 0);
  return events.map((event) => {
    const row = { prev, event };
    prev = event.envelope.id;
    return row;
  });
}
