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

export async function staffOfVendor(db: Queryable, vendorId: string): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    "SELECT id FROM users WHERE vendor_id = $1 AND role = 'staff' ORDER BY id",
    [vendorId],
  );
  return rows.map((r) => r.id);
}

export async function readOffset(tx: Queryable, name: string, lock: boolean): Promise<number | null> {
  const [row] = await tx.query<{ last_event_id: number }>(
    `SELECT last_event_id FROM consumer_offsets WHERE name = $1${lock ? ' FOR UPDATE SKIP LOCKED' : ''}`,
    [name],
  );
  return row ? row.last_event_id : null;
}

export async function initOffset(db: Queryable, name: string, at: number): Promise<void> {
  await db.query('INSERT INTO consumer_offsets (name, last_event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
    name,
    at,
  ]);
}

export async function writeOffset(tx: Queryable, name: string, at: number): Promise<void> {
  await tx.query('UPDATE consumer_offsets SET last_event_id = $2 WHERE name = $1', [name, at]);
}
