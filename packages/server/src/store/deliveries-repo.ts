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
  /** Claims so far, this one included. */
  attempts: number;
  /** The end of the claim's lease: what `renewClaims` keys on, so a claim another node took since is not renewed. */
  claimedUntil: Date;
}

/** Why a message waits: quiet hours, the batching window, or a staff member's hourly/daily digest. */
export type HoldReason = 'quiet' | 'batch' | 'hourly' | 'daily';

export interface HeldRow {
  reason: HoldReason;
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
    `INSERT INTO notification_held (user_id, channel, category, source_event_id, booking_id, title, body, hold_until,
                                    reason)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int8[], $5::uuid[], $6::text[], $7::text[],
                          $8::timestamptz[], $9::text[])
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
      col('reason'),
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
    reason: HoldReason;
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
      reason: r.reason,
    }));
}

/**
 * An older message of the same user, channel and booking, due and not done: the message `o` must wait for it. A push
 * service replaces a queued push by a later one of the same Topic (one per booking), and a phone shows the later mail
 * last: sent side by side (two passes, or two nodes), the older change could arrive last and stand as the current one.
 * One that waits for a retry (due later) does not hold the newer back.
 */
const OLDER_OF_SAME_BOOKING = (o: string, now: string) =>
  `SELECT 1 FROM notification_outbox older
    WHERE older.user_id = ${o}.user_id AND older.channel = ${o}.channel AND older.booking_id = ${o}.booking_id
      AND older.id < ${o}.id AND older.sent_at IS NULL AND older.due_at <= ${now}`;

/** A newer message of the same user, channel and booking waits for `o` (see OLDER_OF_SAME_BOOKING). */
const NEWER_WAITING = (o: string) =>
  `SELECT 1 FROM notification_outbox newer
    WHERE newer.user_id = ${o}.user_id AND newer.channel = ${o}.channel AND newer.booking_id = ${o}.booking_id
      AND newer.id > ${o}.id AND newer.sent_at IS NULL`;

/**
 * For senders: claims up to `limit` due, unsent messages of a channel for `leaseMs`, never a message while an older
 * one of its booking is still to go (OLDER_OF_SAME_BOOKING). Rows locked by another node's
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
    attempts: number;
    claimed_until: Date;
  }>(
    `UPDATE notification_outbox SET claimed_until = $3, attempts = attempts + 1
      WHERE id IN (
        SELECT o.id FROM notification_outbox o
         WHERE o.channel = $1 AND o.sent_at IS NULL AND o.due_at <= $2
           AND (o.claimed_until IS NULL OR o.claimed_until <= $2)
           AND NOT EXISTS (${OLDER_OF_SAME_BOOKING('o', '$2')})
         ORDER BY o.due_at, o.id LIMIT $4
         FOR UPDATE OF o SKIP LOCKED)
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
      attempts: Number(r.attempts),
      claimedUntil: r.claimed_until,
    }))
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.id - b.id);
}

/**
 * Extends the lease of claimed messages still being sent, from `until` (the lease they were claimed or last renewed
 * with) to `to`: a batch whose sends outlast the lease is not claimed and sent again meanwhile. A message whose lease
 * ran out and that another sender claimed since (its lease differs) is left to that one. Returns the ids renewed.
 */
export async function renewClaims(db: Queryable, ids: number[], until: Date, to: Date): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db.query<{ id: number }>(
    `UPDATE notification_outbox SET claimed_until = $3
      WHERE id = ANY($1::int8[]) AND claimed_until = $2 AND sent_at IS NULL RETURNING id`,
    [ids, until, to],
  );
  return rows.map((r) => Number(r.id));
}

/**
 * Ends messages: `sent`, or `failed` once their retries ran out (kept for the retention period, then pruned). True
 * when a newer message of one of their bookings was waiting for them: the sender claims again.
 */
export async function markSent(
  db: Queryable,
  ids: number[],
  at: Date,
  outcome: 'sent' | 'failed' = 'sent',
): Promise<boolean> {
  if (ids.length === 0) return false;
  const rows = await db.query<{ waiting: boolean }>(
    `UPDATE notification_outbox o SET sent_at = $2, outcome = $3 WHERE id = ANY($1::int8[]) AND sent_at IS NULL
     RETURNING EXISTS (${NEWER_WAITING('o')}) AS waiting`,
    [ids, at, outcome],
  );
  return rows.some((r) => r.waiting);
}

/**
 * Gives claimed messages back, due again at `dueAt` (a push service asked to retry later). True when a newer message
 * of one of their bookings was waiting for them: it need not wait for the retry.
 */
export async function deferOutbox(db: Queryable, ids: number[], dueAt: Date): Promise<boolean> {
  if (ids.length === 0) return false;
  const rows = await db.query<{ waiting: boolean }>(
    `UPDATE notification_outbox o SET due_at = $2, claimed_until = NULL WHERE id = ANY($1::int8[]) AND sent_at IS NULL
     RETURNING EXISTS (${NEWER_WAITING('o')}) AS waiting`,
    [ids, dueAt],
  );
  return rows.some((r) => r.waiting);
}

/** Messages done (sent or failed) before `olderThan`: the retention sweep deletes them. */
export async function pruneSentOutbox(db: Queryable, olderThan: Date): Promise<number> {
  const rows = await db.query('DELETE FROM notification_outbox WHERE sent_at < $1 RETURNING id', [olderThan]);
  return rows.length;
}

/**
 * For the batching window, per user × channel among these users: when the latest message was made due (sent or
 * not), and the latest time a batch already waits until. Read in the router's transaction.
 */
export async function recentTraffic(
  tx: Queryable,
  userIds: readonly string[],
  since: Date,
): Promise<Map<string, { lastDue: Date | null; batchUntil: Date | null }>> {
  const out = new Map<string, { lastDue: Date | null; batchUntil: Date | null }>();
  if (userIds.length === 0) return out;
  const rows = await tx.query<{
    user_id: string;
    channel: SendChannel;
    last_due: Date | null;
    batch_until: Date | null;
  }>(
    `SELECT user_id, channel, max(last_due) AS last_due, max(batch_until) AS batch_until FROM (
       SELECT user_id, channel, due_at AS last_due, NULL::timestamptz AS batch_until FROM notification_outbox
        WHERE user_id = ANY($1::uuid[]) AND due_at > $2
       UNION ALL
       SELECT user_id, channel, NULL, hold_until FROM notification_held
        WHERE user_id = ANY($1::uuid[]) AND reason = 'batch'
     ) t GROUP BY user_id, channel`,
    [[...new Set(userIds)], since],
  );
  for (const r of rows) out.set(`${r.user_id} ${r.channel}`, { lastDue: r.last_due, batchUntil: r.batch_until });
  return out;
}

/** The vendor name of each booking, for digest titles ("Studio Mira: 4 new requests"). */
export async function vendorNamesOfBookings(
  tx: Queryable,
  bookingIds: readonly string[],
): Promise<Map<string, string>> {
  if (bookingIds.length === 0) return new Map();
  const rows = await tx.query<{ id: string; name: string }>(
    'SELECT b.id, v.name FROM bookings b JOIN vendors v ON v.id = b.vendor_id WHERE b.id = ANY($1::uuid[])',
    [[...bookingIds]],
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}
