import type { NotificationCategory } from '@slotcast/protocol';
import type { Queryable } from './db.js';

export type SendChannel = 'push' | 'email';

export interface NewOutboxRow {
  userId: string;
  channel: SendChannel;
  kind: 'single' | 'digest';
  category: NotificationCategory | null;
  bookingId: string | null;
  title: string;
  body: string;
  items: number;
  dedupeKey: string;
  dueAt: Date;
}

export interface OutboxRow extends NewOutboxRow {
  id: number;
}

export interface HeldRow {
  userId: string;
  channel: SendChannel;
  category: NotificationCategory;
  sourceEventId: number;
  bookingId: string | null;
  title: string;
  body: string;
  holdUntil: Date;
}

/** Inserts messages to send, skipping any already made (same user, channel and dedupe key: a redelivered event). */
export async function insertOutbox(tx: Queryable, rows: NewOutboxRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const col = <K extends keyof NewOutboxRow>(k: K) => rows.map((r) => r[k]);
  const made = await tx.query<{ id: number }>(
    `INSERT INTO notification_outbox (user_id, channel, kind, category, booking_id, title, body, items, dedupe_key, due_at)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::text[], $7::text[],
                          $8::int[], $9::text[], $10::timestamptz[])
     ON CONFLICT (user_id, channel, dedupe_key) DO NOTHING RETURNING id`,
    [
      col('userId'),
      col('channel'),
      col('kind'),
      col('category'),
      col('bookingId'),
      col('title'),
      col('body'),
      col('items'),
      col('dedupeKey'),
      col('dueAt'),
    ],
  );
  return made.length;
}

export async function insertHeld(tx: Queryable, rows: HeldRow[]): Promise<void> {
  if (rows.length === 0) return;
  const col = <K extends keyof HeldRow>(k: K) => rows.map((r) => r[k]);
  await tx.query(
    `INSERT INTO notification_held (user_id, channel, category, source_event_id, booking_id, title, body, hold_until)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int8[], $5::uuid[], $6::text[], $7::text[],
                          $8::timestamptz[])
     ON CONFLICT (user_id, channel, source_event_id) DO NOTHING`,
    [
      col('userId'),
      col('channel'),
      col('category'),
      col('sourceEventId'),
      col('bookingId'),
      col('title'),
      col('body'),
      col('holdUntil'),
    ],
  );
}

// Any constant: the first key of the per-(user, channel) advisory lock of the digest job.
const DIGEST_LOCK = 7_263_040;

/**
 * Takes the held rows that are due, for up to `groups` user × channel pairs, and deletes them; the caller writes the
 * digests in the same transaction. Exactly once across nodes: a node works on a pair only while holding that pair's
 * transaction-level advisory lock (try-lock: a pair another node is folding is skipped, not waited for), and the rows
 * themselves are taken FOR UPDATE SKIP LOCKED and deleted. A node that read the pair before another committed finds
 * the rows gone when it deletes, and makes no digest. Keying the lock by the pair, not by row, keeps one pair's rows
 * from being split between two nodes into two digests.
 */
export async function takeDueHeld(tx: Queryable, now: Date, groups: number): Promise<HeldRow[]> {
  const rows = await tx.query<{
    id: number;
    user_id: string;
    channel: SendChannel;
    category: NotificationCategory;
    source_event_id: number;
    booking_id: string | null;
    title: string;
    body: string;
    hold_until: Date;
  }>(
    `WITH pairs AS (
       SELECT DISTINCT user_id, channel FROM notification_held WHERE hold_until <= $1 LIMIT $2
     ), mine AS (
       SELECT user_id, channel FROM pairs
        WHERE pg_try_advisory_xact_lock(${DIGEST_LOCK}, hashtext(user_id::text || channel))
     ), rows AS (
       SELECT h.id FROM notification_held h JOIN mine USING (user_id, channel)
        WHERE h.hold_until <= $1
        FOR UPDATE OF h SKIP LOCKED
     )
     DELETE FROM notification_held WHERE id IN (SELECT id FROM rows)
     RETURNING *`,
    [now, groups],
  );
  return rows
    .sort((a, b) => Number(a.id) - Number(b.id))
    .map((r) => ({
      userId: r.user_id,
      channel: r.channel,
      category: r.category,
      sourceEventId: Number(r.source_event_id),
      bookingId: r.booking_id,
      title: r.title,
      body: r.body,
      holdUntil: r.hold_until,
    }));
}

/**
 * For senders: claims up to `limit` due, unsent messages of a channel for `leaseMs`. Rows locked by another node's
 * claim are skipped (SKIP LOCKED); a claim whose sender died is taken again once its lease ran out, so a message is
 * sent at least once — send with the row id as the provider's idempotency key / Message-ID.
 */
export async function claimDue(
  db: Queryable,
  channel: SendChannel,
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<OutboxRow[]> {
  const rows = await db.query<{
    id: number;
    user_id: string;
    channel: SendChannel;
    kind: 'single' | 'digest';
    category: NotificationCategory | null;
    booking_id: string | null;
    title: string;
    body: string;
    items: number;
    dedupe_key: string;
    due_at: Date;
  }>(
    `UPDATE notification_outbox SET claimed_until = $3
      WHERE id IN (
        SELECT id FROM notification_outbox
         WHERE channel = $1 AND sent_at IS NULL AND due_at <= $2 AND (claimed_until IS NULL OR claimed_until <= $2)
         ORDER BY due_at, id LIMIT $4
         FOR UPDATE SKIP LOCKED)
      RETURNING *`,
    [channel, now, new Date(now.getTime() + leaseMs), limit],
  );
  return rows
    .map((r) => ({
      id: Number(r.id),
      userId: r.user_id,
      channel: r.channel,
      kind: r.kind,
      category: r.category,
      bookingId: r.booking_id,
      title: r.title,
      body: r.body,
      items: Number(r.items),
      dedupeKey: r.dedupe_key,
      dueAt: r.due_at,
    }))
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.id - b.id);
}

export async function markSent(db: Queryable, ids: number[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.query('UPDATE notification_outbox SET sent_at = $2 WHERE id = ANY($1::int8[]) AND sent_at IS NULL', [
    ids,
    at,
  ]);
}
