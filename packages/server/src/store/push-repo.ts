import type { PushDevice, PushProvider } from '@slotcast/protocol';
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

export async function subscriptionsOf(db: Queryable, userId: string): Promise<PushSubscriptionRow[]> {
  const rows = await db.query<Row>('SELECT * FROM push_subscriptions WHERE user_id = $1', [userId]);
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    provider: r.provider,
    endpoint: r.endpoint,
    p256dh: r.p256dh,
    auth: r.auth,
  }));
}

/** A push service said the device is gone (404/410, unregistered token). */
export async function removeSubscription(db: Queryable, id: string): Promise<void> {
  await db.query('DELETE FROM push_subscriptions WHERE id = $1', [id]);
}

/** Devices that a push service already accepted this event for. */
export async function deliveredTo(db: Queryable, eventId: number, subscriptionIds: string[]): Promise<Set<string>> {
  if (subscriptionIds.length === 0) return new Set();
  const rows = await db.query<{ subscription_id: string }>(
    'SELECT subscription_id FROM push_deliveries WHERE event_id = $1 AND subscription_id = ANY($2::uuid[])',
    [eventId, subscriptionIds],
  );
  return new Set(rows.map((r) => r.subscription_id));
}

/** Records an accepted push; done right after the push service answers 201, before any other device is tried. */
export async function recordDelivery(db: Queryable, subscriptionId: string, eventId: number, at: Date): Promise<void> {
  await db.query(
    `WITH d AS (INSERT INTO push_deliveries (subscription_id, event_id, sent_at) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING)
     UPDATE push_subscriptions SET last_success_at = $3 WHERE id = $1`,
    [subscriptionId, eventId, at],
  );
}

export async function pruneDeliveries(db: Queryable, olderThan: Date): Promise<void> {
  await db.query('DELETE FROM push_deliveries WHERE sent_at < $1', [olderThan]);
}
