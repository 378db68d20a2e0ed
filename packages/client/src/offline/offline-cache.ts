import {
  type Booking,
  BookingEvent,
  type EventEnvelope,
  isBookingEvent,
  isNotificationEvent,
  type Notification,
  NotificationEvent,
} from '@slotcast/protocol';
import type { CachedBooking, MetaRow, OfflineDb } from './offline-db.js';

export interface CacheWindow {
  /** ISO instants, [from, to): bookings starting outside are evicted first. */
  from: string;
  to: string;
}

/**
 * The user's data as last seen from the server, with the cursor that says how far it goes. Every write that reflects
 * events moves the cursor in the SAME IndexedDB transaction: after a crash, the tables and the cursor agree, so the
 * replay from that cursor is exactly what the tables miss.
 */
export class OfflineCache {
  constructor(
    readonly db: OfflineDb,
    private readonly now: () => number = Date.now,
  ) {}

  async bookings(): Promise<Booking[]> {
    return (await this.db.bookings.toArray()).map((r) => r.booking);
  }

  async booking(id: string): Promise<Booking | null> {
    return (await this.db.bookings.get(id))?.booking ?? null;
  }

  async notifications(): Promise<Notification[]> {
    return (await this.db.notifications.orderBy('createdAt').reverse().toArray()).map((r) => r.notification);
  }

  async cursor(): Promise<number | null> {
    const v = (await this.db.meta.get('cursor'))?.value;
    return typeof v === 'number' ? v : null;
  }

  async meta(key: MetaRow['key']): Promise<unknown> {
    return (await this.db.meta.get(key))?.value ?? null;
  }

  /** When the cache last caught up with the server (ms), or null. */
  async syncedAt(): Promise<number | null> {
    const v = await this.meta('syncedAt');
    return typeof v === 'number' ? v : null;
  }

  /** One event from the stream (see applyEnvelopes). */
  async applyEnvelope(envelope: EventEnvelope): Promise<void> {
    await this.applyEnvelopes([envelope]);
  }

  /**
   * Events from the stream, in id order: their effect on the tables and the cursor past the last, in one transaction
   * (one per frame, not one per event). Events at or below the stored cursor were already applied (replay overlaps
   * live), and a booking keeps its newest version.
   */
  async applyEnvelopes(envelopes: readonly EventEnvelope[]): Promise<void> {
    if (envelopes.length === 0) return;
    const { db } = this;
    await db.transaction('rw', [db.bookings, db.notifications, db.meta], async () => {
      const cursor = await this.cursor();
      const fresh = cursor === null ? envelopes : envelopes.filter((e) => e.id > cursor);
      if (fresh.length === 0) return;
      const bookings: Booking[] = [];
      for (const envelope of fresh) {
        if (isBookingEvent(envelope)) {
          const parsed = BookingEvent.safeParse(envelope);
          if (parsed.success) bookings.push(parsed.data.data.booking);
        } else if (isNotificationEvent(envelope)) {
          const parsed = NotificationEvent.safeParse(envelope);
          if (parsed.success) await this.applyNotification(parsed.data);
        }
      }
      await this.putNewer(bookings);
      await db.meta.bulkPut([
        { key: 'cursor', value: fresh[fresh.length - 1]!.id },
        { key: 'syncedAt', value: this.now() },
      ]);
    });
  }

  private async applyNotification(event: NotificationEvent): Promise<void> {
    const { db } = this;
    if (event.type === 'notification.created') {
      const n = event.data.notification;
      await db.notifications.put({ id: n.id, createdAt: n.createdAt, notification: n });
      return;
    }
    const { ids, all, readAt } = event.data;
    const rows = all
      ? db.notifications.filter((r) => r.notification.readAt === null && r.createdAt <= readAt)
      : db.notifications.where('id').anyOf(ids);
    await rows.modify((r) => {
      r.notification = { ...r.notification, readAt: r.notification.readAt ?? readAt };
    });
  }

  /**
   * A REST snapshot: newer versions win, as with events; a snapshot after a resync makes the cache whole again.
   * With `scope`, the snapshot is the whole truth for bookings starting in `scope.window`: cached rows there that it
   * does not hold were deleted, moved away or are no longer visible to this user, and leave the cache (returned, so
   * the screen drops them too). Two kinds stay: rows written since `scope.readAt` (an event newer than the read, which
   * the snapshot could not contain) and rows a waiting or refused action refers to (that action settles them).
   */
  async putSnapshot(bookings: readonly Booking[], scope?: { window: CacheWindow; readAt: number }): Promise<Booking[]> {
    const { db } = this;
    return db.transaction('rw', [db.bookings, db.meta, db.outbox, db.attention], async () => {
      await this.putNewer(bookings);
      await db.meta.bulkPut([
        { key: 'needsSnapshot', value: false },
        { key: 'syncedAt', value: this.now() },
      ]);
      if (!scope) return [];
      const held = new Set(bookings.map((b) => b.id));
      const { from, to } = scope.window;
      const stale = await db.bookings
        .where('startAt')
        .between(from, to, true, false)
        .filter((r) => !held.has(r.id) && r.cachedAt < scope.readAt)
        .toArray();
      if (stale.length === 0) return [];
      const ids = stale.map((r) => r.id);
      const [waiting, refused] = await Promise.all([
        db.outbox.where('bookingId').anyOf(ids).toArray(),
        db.attention.where('bookingId').anyOf(ids).toArray(),
      ]);
      const referred = new Set([...waiting, ...refused].map((a) => a.bookingId));
      const gone = stale.filter((r) => !referred.has(r.id));
      await db.bookings.bulkDelete(gone.map((r) => r.id));
      return gone.map((r) => r.booking);
    });
  }

  async putNotifications(items: readonly Notification[]): Promise<void> {
    await this.db.notifications.bulkPut(items.map((n) => ({ id: n.id, createdAt: n.createdAt, notification: n })));
  }

  /** An action's answer (a booking the server just returned). */
  async putBooking(booking: Booking): Promise<void> {
    await this.putBookings([booking]);
  }

  /** Several actions' answers; joins the caller's transaction when there is one. */
  async putBookings(bookings: readonly Booking[]): Promise<void> {
    await this.db.transaction('rw', this.db.bookings, () => this.putNewer(bookings));
  }

  /**
   * The server's cursor moved without events (RESYNC_REQUIRED): the tables may miss changes no replay will bring,
   * so the next start reads a snapshot. The new cursor is stored with the flag, in one transaction.
   */
  async resynced(cursor: number): Promise<void> {
    await this.db.meta.bulkPut([
      { key: 'cursor', value: cursor },
      { key: 'needsSnapshot', value: true },
    ]);
  }

  async needsSnapshot(): Promise<boolean> {
    return (await this.meta('needsSnapshot')) === true;
  }

  async catalogue<T>(key: string): Promise<T | null> {
    return ((await this.db.catalogue.get(key))?.value as T | undefined) ?? null;
  }

  async putCatalogue(key: string, value: unknown): Promise<void> {
    await this.db.catalogue.put({ key, value, cachedAt: this.now() });
  }

  private async putNewer(bookings: readonly Booking[]): Promise<void> {
    if (bookings.length === 0) return;
    // Bookings come from parsed events and parsed REST answers: no second validation here.
    const valid = bookings;
    const known = await this.db.bookings.bulkGet(valid.map((b) => b.id));
    const now = this.now();
    // By id: a frame may hold several versions of one booking; the newest is written.
    const rows = new Map<string, CachedBooking>();
    valid.forEach((b, i) => {
      const k = rows.get(b.id)?.booking ?? known[i]?.booking;
      if (k && k.version >= b.version) return;
      rows.set(b.id, { id: b.id, startAt: b.startAt, cachedAt: now, booking: b });
    });
    if (rows.size > 0) await this.db.bookings.bulkPut([...rows.values()]);
  }
}
