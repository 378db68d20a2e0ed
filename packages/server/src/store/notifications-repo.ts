import type { Notification, NotificationCategory } from '@slotcast/protocol';
import type { Queryable } from './db.js';

interface NotificationRow {
  id: string;
  booking_id: string | null;
  source_event_id: number;
  category: NotificationCategory;
  priority: number;
  title: string;
  body: string;
  created_at: Date;
  read_at: Date | null;
}

const toNotification = (r: NotificationRow): Notification => ({
  id: r.id,
  bookingId: r.booking_id,
  sourceEventId: r.source_event_id,
  category: r.category,
  priority: r.priority === 2 ? 2 : 1,
  title: r.title,
  body: r.body,
  createdAt: r.created_at.toISOString(),
  readAt: r.read_at ? r.read_at.toISOString() : null,
});

export interface NewNotification {
  userId: string;
  sourceEventId: number;
  bookingId: string | null;
  category: NotificationCategory;
  priority: 1 | 2;
  title: string;
  body: string;
}

/** Inserts unless this user already has a notification from this event (consumers may see an event twice). */
export async function insertNotification(tx: Queryable, n: NewNotification): Promise<Notification | null> {
  const [row] = await tx.query<NotificationRow>(
    `INSERT INTO notifications (user_id, source_event_id, booking_id, category, priority, title, body)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (user_id, source_event_id) DO NOTHING RETURNING *`,
    [n.userId, n.sourceEventId, n.bookingId, n.category, n.priority, n.title, n.body],
  );
  return row ? toNotification(row) : null;
}

export async function unreadCount(db: Queryable, userId: string): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    'SELECT count(*)::int8 AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL',
    [userId],
  );
  return row?.n ?? 0;
}

export interface NotificationFilter {
  userId: string;
  unreadOnly: boolean;
  categories: NotificationCategory[] | null;
  sort: 'newest' | 'priority';
  /** Keyset position of the last item of the previous page. */
  after: { priority: number; createdAt: Date; id: string } | null;
  limit: number;
}

export async function listNotifications(db: Queryable, f: NotificationFilter): Promise<Notification[]> {
  // Both orders are keysets over (priority?, created_at, id) descending.
  const byPriority = f.sort === 'priority';
  const rows = await db.query<NotificationRow>(
    `SELECT * FROM notifications
      WHERE user_id = $1
        AND (NOT $2::boolean OR read_at IS NULL)
        AND ($3::text[] IS NULL OR category = ANY($3))
        AND ($4::timestamptz IS NULL OR
             ${byPriority ? '(priority, created_at, id) < ($7::smallint, $4, $5::uuid)' : '(created_at, id) < ($4, $5::uuid)'})
      ORDER BY ${byPriority ? 'priority DESC, ' : ''}created_at DESC, id DESC
      LIMIT $6`,
    [
      f.userId,
      f.unreadOnly,
      f.categories,
      f.after?.createdAt ?? null,
      f.after?.id ?? null,
      f.limit,
      ...(byPriority ? [f.after?.priority ?? 0] : []),
    ],
  );
  return rows.map(toNotification);
}

/** Marks the given (or all) unread notifications read; returns the ids it changed. */
export async function markRead(tx: Queryable, userId: string, ids: string[] | 'all', at: Date): Promise<string[]> {
  const rows = await tx.query<{ id: string }>(
    `UPDATE notifications SET read_at = $3
      WHERE user_id = $1 AND read_at IS NULL AND ($2::uuid[] IS NULL OR id = ANY($2))
      RETURNING id`,
    [userId, ids === 'all' ? null : ids, at],
  );
  return rows.map((r) => r.id);
}

export async function getNotification(db: Queryable, userId: string, id: string): Promise<Notification | null> {
  const [row] = await db.query<NotificationRow>('SELECT * FROM notifications WHERE id = $1 AND user_id = $2', [
    id,
    userId,
  ]);
  return row ? toNotification(row) : null;
}

/** The staff of each vendor, for every vendor in `vendorIds`, in one query. */
export async function staffOfVendors(db: Queryable, vendorIds: string[]): Promise<Map<string, string[]>> {
  const staff = new Map<string, string[]>(vendorIds.map((v) => [v, []]));
  if (vendorIds.length === 0) return staff;
  const rows = await db.query<{ id: string; vendor_id: string }>(
    "SELECT id, vendor_id FROM users WHERE vendor_id = ANY($1::uuid[]) AND role = 'staff' ORDER BY vendor_id, id",
    [vendorIds],
  );
  for (const r of rows) staff.get(r.vendor_id)?.push(r.id);
  return staff;
}

/** The names a notification text mentions, one query per table for a whole batch of bookings. */
export interface NameLookup {
  services: string[];
  resources: string[];
  vendors: string[];
  users: string[];
}

export async function namesOf(db: Queryable, ids: NameLookup): Promise<Record<keyof NameLookup, Map<string, string>>> {
  const names = async (table: 'services' | 'resources' | 'vendors' | 'users', list: string[]) => {
    if (list.length === 0) return new Map<string, string>();
    const rows = await db.query<{ id: string; name: string }>(
      `SELECT id, name FROM ${table} WHERE id = ANY($1::uuid[])`,
      [[...new Set(list)]],
    );
    return new Map(rows.map((r) => [r.id, r.name]));
  };
  const [services, resources, vendors, users] = await Promise.all([
    names('services', ids.services),
    names('resources', ids.resources),
    names('vendors', ids.vendors),
    names('users', ids.users),
  ]);
  return { services, resources, vendors, users };
}

/**
 * Inserts many in one statement, skipping those a user already has from the same event (consumers may see an event
 * twice). Returns the inserted ones, in the order given.
 */
export async function insertNotifications(
  tx: Queryable,
  list: NewNotification[],
): Promise<{ userId: string; notification: Notification }[]> {
  if (list.length === 0) return [];
  const col = <K extends keyof NewNotification>(k: K) => list.map((n) => n[k]);
  const rows = await tx.query<NotificationRow & { user_id: string }>(
    `INSERT INTO notifications (user_id, source_event_id, booking_id, category, priority, title, body)
     SELECT * FROM unnest($1::uuid[], $2::int8[], $3::uuid[], $4::text[], $5::int2[], $6::text[], $7::text[])
     ON CONFLICT (user_id, source_event_id) DO NOTHING RETURNING *`,
    [
      col('userId'),
      col('sourceEventId'),
      col('bookingId'),
      col('category'),
      col('priority'),
      col('title'),
      col('body'),
    ],
  );
  const byKey = new Map(rows.map((r) => [`${r.user_id} ${Number(r.source_event_id)}`, r]));
  return list.flatMap((n) => {
    const row = byKey.get(`${n.userId} ${n.sourceEventId}`);
    return row ? [{ userId: n.userId, notification: toNotification(row) }] : [];
  });
}

/** Unread notifications of each user in `userIds`, in one query. */
export async function unreadCounts(db: Queryable, userIds: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>(userIds.map((u) => [u, 0]));
  if (userIds.length === 0) return counts;
  const rows = await db.query<{ user_id: string; n: number }>(
    `SELECT user_id, count(*)::int8 AS n FROM notifications
      WHERE user_id = ANY($1::uuid[]) AND read_at IS NULL GROUP BY user_id`,
    [[...new Set(userIds)]],
  );
  for (const r of rows) counts.set(r.user_id, Number(r.n));
  return counts;
}
