import type {
  BookingEventData,
  ListNotificationsQuery,
  Notification,
  NotificationCreatedData,
  NotificationPage,
  NotificationReadData,
} from '@slotcast/protocol';
import { DETAILS, isBookingEvent, SlotcastError } from '@slotcast/protocol';
import { draftNotifications } from '../domain/notification-content.js';
import type { Db, Queryable } from '../store/db.js';
import { appendEvents, appendEventsAtCommit, type NewEvent, type StoredEvent } from '../store/event-log.js';
import {
  getNotification,
  insertNotifications,
  listNotifications,
  markRead,
  type NewNotification,
  namesOf,
  staffOfVendors,
  unreadCount,
  unreadCounts,
} from '../store/notifications-repo.js';
import type { Caller } from './actor.js';
import type { DeliveryService, Planned } from './notification-deliveries.js';

const privateEvent = (userId: string, type: string, data: unknown): NewEvent => ({
  type,
  bookingId: null,
  vendorId: null,
  customerId: null,
  resourceId: null,
  userId,
  data,
});

/** Per-user notifications: made from booking events, read over REST, kept in step across tabs by private events. */
export class NotificationService {
  constructor(
    private readonly db: Db,
    private readonly onEvents: () => void = () => {},
    /** Applies preferences and quiet hours; without it every notification goes to the in-app list only. */
    private readonly deliveries?: DeliveryService,
  ) {}

  /**
   * The notifications worker's handler: one notification per recipient per booking event, idempotent by event id.
   * A whole batch costs one query per table it reads, one insert and one count, whatever its size.
   */
  async fromEvents(tx: Queryable, events: StoredEvent[]): Promise<void> {
    const changes = events.flatMap((e) =>
      isBookingEvent(e.envelope)
        ? [{ id: e.envelope.id, type: e.envelope.type, d: e.envelope.data as BookingEventData }]
        : [],
    );
    if (changes.length === 0) return;
    const bookings = changes.map((c) => c.d.booking);
    const [names, staff] = await Promise.all([
      namesOf(tx, {
        services: bookings.map((b) => b.serviceId),
        resources: bookings.map((b) => b.resourceId),
        vendors: bookings.map((b) => b.vendorId),
        users: bookings.map((b) => b.customerId),
      }),
      staffOfVendors(tx, [...new Set(bookings.map((b) => b.vendorId))]),
    ]);
    const rows: Planned[] = [];
    for (const { id, type, d } of changes) {
      const b = d.booking;
      const drafts = draftNotifications(type, d, {
        serviceName: names.services.get(b.serviceId) ?? 'Booking',
        resourceName: names.resources.get(b.resourceId) ?? '',
        vendorName: names.vendors.get(b.vendorId) ?? '',
        customerName: names.users.get(b.customerId) ?? 'A customer',
      });
      for (const draft of drafts) {
        const recipients = draft.audience === 'customer' ? [b.customerId] : (staff.get(b.vendorId) ?? []);
        for (const userId of recipients) {
          rows.push({
            userId,
            sourceEventId: id,
            bookingId: b.id,
            category: draft.category,
            priority: draft.priority,
            title: draft.title,
            body: draft.body,
            bookingStart: new Date(b.startAt),
          });
        }
      }
    }
    await this.create(tx, rows);
  }

  /**
   * Makes notifications in the caller's transaction: preferences and quiet hours decide the channels, then the in-app
   * rows, their `notification.created` events (appended last) and the push/email rows. Idempotent per
   * (user, source event): booking events use their id; reminders use the negated reminder id.
   */
  async create(tx: Queryable, rows: Planned[]): Promise<void> {
    // Channels switched off are dropped here; push and email rows are written in this same transaction.
    const inApp: NewNotification[] = this.deliveries
      ? await this.deliveries.route(tx, rows)
      : rows.map(({ bookingStart: _, ...n }) => n);
    const made = await insertNotifications(tx, inApp);
    if (made.length === 0) return;
    // Each event carries the count as it was right after its own notification, as if they had come one by one.
    const unread = await unreadCounts(
      tx,
      made.map((m) => m.userId),
    );
    const later = new Map<string, number>();
    const out: NewEvent[] = [];
    for (const { userId, notification } of made.toReversed()) {
      const after = later.get(userId) ?? 0;
      later.set(userId, after + 1);
      const data: NotificationCreatedData = { notification, unreadCount: (unread.get(userId) ?? 0) - after };
      out.push(privateEvent(userId, 'notification.created', data));
    }
    await appendEventsAtCommit(tx, out.reverse());
  }

  async list(caller: Caller, q: ListNotificationsQuery): Promise<NotificationPage> {
    const items = await listNotifications(this.db, {
      userId: caller.userId,
      unreadOnly: q.unreadOnly ?? false,
      categories: q.category ?? null,
      sort: q.sort,
      after: q.cursor ? decodeCursor(q.cursor) : null,
      limit: q.limit + 1,
    });
    const more = items.length > q.limit;
    const page = more ? items.slice(0, q.limit) : items;
    const last = page.at(-1);
    return {
      items: page,
      nextCursor: more && last ? encodeCursor(last) : null,
      unreadCount: await unreadCount(this.db, caller.userId),
    };
  }

  async markRead(caller: Caller, id: string): Promise<Notification> {
    const readAt = new Date();
    const result = await this.db.transaction(async (tx) => {
      const changed = await markRead(tx, caller.userId, [id], readAt);
      const n = await getNotification(tx, caller.userId, id);
      if (!n) throw new SlotcastError('NOT_FOUND', DETAILS.noSuch('notification'));
      if (changed.length) await this.appendRead(tx, caller.userId, changed, false, readAt);
      return { n, changed: changed.length > 0 };
    });
    if (result.changed) this.onEvents();
    return result.n;
  }

  async markAllRead(caller: Caller): Promise<{ updated: number; unreadCount: number }> {
    const readAt = new Date();
    const updated = await this.db.transaction(async (tx) => {
      const changed = await markRead(tx, caller.userId, 'all', readAt);
      if (changed.length) await this.appendRead(tx, caller.userId, changed, true, readAt);
      return changed.length;
    });
    if (updated) this.onEvents();
    return { updated, unreadCount: await unreadCount(this.db, caller.userId) };
  }

  private async appendRead(tx: Queryable, userId: string, ids: string[], all: boolean, readAt: Date) {
    const data: NotificationReadData = {
      ids,
      all,
      readAt: readAt.toISOString(),
      unreadCount: await unreadCount(tx, userId),
    };
    await appendEvents(tx, [privateEvent(userId, 'notification.read', data)]);
  }
}

function encodeCursor(n: Notification): string {
  return Buffer.from(JSON.stringify([n.priority, n.createdAt, n.id])).toString('base64url');
}

function decodeCursor(cursor: string): { priority: number; createdAt: Date; id: string } {
  try {
    const [priority, created, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [
      number,
      string,
      string,
    ];
    const createdAt = new Date(created);
    if (typeof priority !== 'number' || Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id))
      throw new Error('bad');
    return { priority, createdAt, id };
  } catch {
    throw new SlotcastError('VALIDATION_FAILED', 'cursor is not valid', {
      errors: [{ path: 'query.cursor', message: 'not a cursor from this API' }],
    });
  }
}
