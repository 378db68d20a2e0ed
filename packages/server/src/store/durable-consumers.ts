import type { Queryable } from './db.js';

// What durable consumers (bus/durable.ts) keep in the database: the embedded backend's positions in the log and its
// dead letters, and the RabbitMQ backend's receipts (which event ids a consumer already handled).

/**
 * Locks the consumer's position row for the caller's transaction and returns it; null when another node's
 * transaction holds it (that node is the active consumer) or the row does not exist.
 */
export async function lockOffset(tx: Queryable, name: string): Promise<number | null> {
  const [row] = await tx.query<{ last_event_id: number }>(
    'SELECT last_event_id FROM consumer_offsets WHERE name = $1 FOR UPDATE SKIP LOCKED',
    [name],
  );
  return row ? Number(row.last_event_id) : null;
}

/** Creates the position row at `at` unless it exists (a consumer seen before resumes where it stopped). */
export async function initOffset(db: Queryable, name: string, at: number): Promise<void> {
  await db.query('INSERT INTO consumer_offsets (name, last_event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
    name,
    at,
  ]);
}

export async function writeOffset(tx: Queryable, name: string, at: number): Promise<void> {
  await tx.query('UPDATE consumer_offsets SET last_event_id = $2 WHERE name = $1', [name, at]);
}

/** How far (in event ids) the consumer's position is behind the log's newest event; null for an unknown consumer. */
export async function offsetLag(db: Queryable, name: string): Promise<number | null> {
  const [row] = await db.query<{ lag: number }>(
    `SELECT (SELECT coalesce(max(id), 0) FROM events) - last_event_id AS lag FROM consumer_offsets WHERE name = $1`,
    [name],
  );
  return row ? Math.max(0, Number(row.lag)) : null;
}

/** An event the embedded backend gave up on after its last retry (with a broker: the dead-letter queue). */
export async function insertDeadLetter(
  tx: Queryable,
  d: { consumer: string; eventId: number; attempts: number; error: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO bus_dead_letters (consumer, event_id, attempts, error) VALUES ($1, $2, $3, $4)
     ON CONFLICT DO NOTHING`,
    [d.consumer, d.eventId, d.attempts, d.error.slice(0, 500)],
  );
}

/**
 * Records that `consumer` takes these event ids and returns those it had not taken before: the ones to hand to its
 * handler. A second transaction recording an id that an uncommitted one holds waits for it, then gets the id only if
 * that one rolled back — so two nodes taking copies of one event at once (a redelivery, a backfilled copy) cannot both
 * handle it.
 */
export async function recordReceipts(tx: Queryable, consumer: string, eventIds: number[]): Promise<Set<number>> {
  if (eventIds.length === 0) return new Set();
  const rows = await tx.query<{ event_id: number | string }>(
    `INSERT INTO bus_receipts (consumer, event_id) SELECT $1, id FROM unnest($2::int8[]) AS id
     ON CONFLICT DO NOTHING RETURNING event_id`,
    [consumer, eventIds],
  );
  return new Set(rows.map((r) => Number(r.event_id)));
}

/** A receipt only has to outlive redeliveries of events still in the log. */
export async function pruneReceipts(db: Queryable, olderThan: Date): Promise<void> {
  await db.query('DELETE FROM bus_receipts WHERE handled_at < $1', [olderThan]);
}

/**
 * Starts the consumer's backfill unless it was ever started: everything in the log up to its head now is to be
 * copied. Call after the consumer's queue is bound, so every later event reaches the queue through the exchange.
 */
export async function beginBackfill(db: Queryable, consumer: string): Promise<void> {
  await db.query(
    `INSERT INTO durable_backfills (consumer, through_event_id)
     SELECT $1, coalesce(max(id), 0) FROM events ON CONFLICT DO NOTHING`,
    [consumer],
  );
}

export type BackfillTurn =
  /** This transaction holds the backfill: copy events after `copiedThrough` up to `through`. */
  | { state: 'held'; copiedThrough: number; through: number }
  /** Another node's transaction holds it (that node is copying). */
  | { state: 'busy' }
  | { state: 'finished' };

/** Locks the consumer's unfinished backfill for the caller's transaction (SKIP LOCKED), or says why not. */
export async function lockBackfill(tx: Queryable, consumer: string): Promise<BackfillTurn> {
  const [row] = await tx.query<{ copied_through: number | string; through_event_id: number | string }>(
    `SELECT copied_through, through_event_id FROM durable_backfills
     WHERE consumer = $1 AND finished_at IS NULL FOR UPDATE SKIP LOCKED`,
    [consumer],
  );
  if (row) return { state: 'held', copiedThrough: Number(row.copied_through), through: Number(row.through_event_id) };
  const [left] = await tx.query<{ n: number | string }>(
    'SELECT count(*) AS n FROM durable_backfills WHERE consumer = $1 AND finished_at IS NULL',
    [consumer],
  );
  return Number(left?.n ?? 0) > 0 ? { state: 'busy' } : { state: 'finished' };
}

/** Records how far the held backfill has copied; `finished` when that is its end. */
export async function advanceBackfill(
  tx: Queryable,
  consumer: string,
  copiedThrough: number,
  finished: boolean,
): Promise<void> {
  await tx.query(
    `UPDATE durable_backfills SET copied_through = $2, finished_at = CASE WHEN $3::boolean THEN now() END
     WHERE consumer = $1`,
    [consumer, copiedThrough, finished],
  );
}
