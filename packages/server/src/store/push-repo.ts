import type { PushDevice, PushProvider, Role } from '@slotcast/protocol';
import type { Queryable } from './db.js';

export interface PushSubscriptionRow {
  id: string;
  userId: string;
  provider: PushProvider;
  endpoint: string;
  p256dh: string | null;
  auth: string | null;
}

interface Row {
  id: string;
  user_id: string;
  provider: PushProvider;
  endpoint: string;
  p256dh: string | null;
  auth: string | null;
  user_agent: string | null;
  created_at: Date;
  last_success_at: Date | null;
}

const toDevice = (r: Row): PushDevice => ({
  id: r.id,
  provider: r.provider,
  userAgent: r.user_agent,
  createdAt: new Date(r.created_at).toISOString(),
  lastSuccessAt: r.last_success_at ? new Date(r.last_success_at).toISOString() : null,
});

/**
 * Stores a device for a user. An endpoint is one browser profile or app install: subscribing it again (new keys, or
 * another account signed in on the same device) moves it to the latest user rather than telling two people.
 */
export async function upsertSubscription(
  db: Queryable,
  s: Omit<PushSubscriptionRow, 'id'> & { userAgent: string | null },
): Promise<PushDevice> {
  const [row] = await db.query<Row>(
    `INSERT INTO push_subscriptions (user_id, provider, endpoint, p256dh, auth, user_agent)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (endpoint) DO UPDATE SET user_id = EXCLUDED.user_id, provider = EXCLUDED.provider,
       p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth, user_agent = EXCLUDED.user_agent
     RETURNING *`,
    [s.userId, s.provider, s.endpoint, s.p256dh, s.auth, s.userAgent],
  );
  return toDevice(row!);
}

export async function listDevices(db: Queryable, userId: string): Promise<PushDevice[]> {
  const rows = await db.query<Row>('SELECT * FROM push_subscriptions WHERE user_id = $1 ORDER BY created_at, id', [
    userId,
  ]);
  return rows.map(toDevice);
}

/** Removes one of the user's own devices; false when there is no such device of theirs. */
export async function deleteDevice(db: Queryable, userId: string, id: string): Promise<boolean> {
  const rows = await db.query('DELETE FROM push_subscriptions WHERE id = $1 AND user_id = $2 RETURNING id', [
    id,
    userId,
  ]);
  return rows.length > 0;
}

/** A device that receives pushes, with its owner's role (the buttons a push offers depend on it). */
export interface PushRecipientDevice extends PushSubscriptionRow {
  role: Role;
}

/** Every device of these users, in one query (a worker's batch). */
export async function devicesOfUsers(db: Queryable, userIds: readonly string[]): Promise<PushRecipientDevice[]> {
  if (userIds.length === 0) return [];
  const rows = await db.query<Row & { role: Role }>(
    `SELECT s.*, u.role FROM push_subscriptions s JOIN users u ON u.id = s.user_id
     WHERE s.user_id = ANY($1::uuid[])`,
    [[...userIds]],
  );
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    provider: r.provider,
    endpoint: r.endpoint,
    p256dh: r.p256dh,
    auth: r.auth,
    role: r.role,
  }));
}

/** Devices gone for good (404/410, unregistered token). */
export async function removeSubscriptions(db: Queryable, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.query('DELETE FROM push_subscriptions WHERE id = ANY($1::uuid[])', [[...ids]]);
}

/** The (device, outbox message) pairs among these messages that a push service already accepted, as `${device}:${row}`. */
export async function sentAmong(
  db: Queryable,
  outboxIds: readonly number[],
  subscriptionIds: readonly string[],
): Promise<Set<string>> {
  if (outboxIds.length === 0 || subscriptionIds.length === 0) return new Set();
  const rows = await db.query<{ subscription_id: string; outbox_id: string | number }>(
    `SELECT subscription_id, outbox_id FROM push_sends
     WHERE outbox_id = ANY($1::int8[]) AND subscription_id = ANY($2::uuid[])`,
    [[...outboxIds], [...subscriptionIds]],
  );
  return new Set(rows.map((r) => `${r.subscription_id}:${Number(r.outbox_id)}`));
}

/**
 * Records accepted pushes, one statement, and marks their devices' last success, to the minute: a device pushed to
 * again within the minute keeps its row as it is (at a fan-out of a thousand pushes a second, a thousand row updates a
 * second otherwise, for a date shown in the device list). A device removed meanwhile (unsubscribed while its push
 * was in flight) is skipped rather than failing the whole record.
 */
export async function recordSends(
  db: Queryable,
  sends: readonly { subscriptionId: string; outboxId: number }[],
  at: Date,
): Promise<void> {
  if (sends.length === 0) return;
  await db.query(
    `WITH d AS (
       INSERT INTO push_sends (subscription_id, outbox_id, sent_at)
       SELECT x.s, x.o, $3 FROM unnest($1::uuid[], $2::int8[]) AS x(s, o)
       WHERE EXISTS (SELECT 1 FROM push_subscriptions p WHERE p.id = x.s)
       ON CONFLICT DO NOTHING)
     UPDATE push_subscriptions SET last_success_at = $3
      WHERE id = ANY($1::uuid[]) AND (last_success_at IS NULL OR last_success_at < $3::timestamptz - interval '1 minute')`,
    [sends.map((d) => d.subscriptionId), sends.map((d) => d.outboxId), at],
  );
}

export async function pruneSends(db: Queryable, olderThan: Date): Promise<void> {
  await db.query('DELETE FROM push_sends WHERE sent_at < $1', [olderThan]);
}
