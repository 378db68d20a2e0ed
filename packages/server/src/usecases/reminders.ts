import type { BookingEventData } from '@slotcast/protocol';
import { isBookingEvent } from '@slotcast/protocol';
import { formatWhen } from '../domain/notification-content.js';
import { aheadText, reminderOffsets, reminderSchedule } from '../domain/reminders.js';
import type { Db, Queryable } from '../store/db.js';
import type { StoredEvent } from '../store/event-log.js';
import { namesOf } from '../store/notifications-repo.js';
import { offsetChoices, reminderBookings, replaceReminders, takeDueReminders } from '../store/reminders-repo.js';
import type { Planned } from './notification-deliveries.js';
import type { NotificationService } from './notifications.js';

/**
 * Reminders before a confirmed booking: durable jobs in `reminders` (due-time table), kept in step with the booking
 * by the reminders worker, sent by the workers loop of any node as ordinary `reminder` notifications.
 */
export class ReminderService {
  constructor(
    private readonly db: Db,
    private readonly notifications: NotificationService,
    private readonly now: () => Date = () => new Date(),
    private readonly onEvents: () => void = () => {},
  ) {}

  /**
   * The reminders worker's handler. Reads each booking's current state rather than trusting the event (a retried or
   * late event must not bring back reminders of a cancelled booking): confirmed → one job per offset still ahead of
   * its current start; anything else → no unsent jobs.
   */
  async fromEvents(tx: Queryable, events: StoredEvent[]): Promise<void> {
    const ids = events.flatMap((e) =>
      isBookingEvent(e.envelope) ? [(e.envelope.data as BookingEventData).booking.id] : [],
    );
    if (ids.length === 0) return;
    const bookings = await reminderBookings(tx, ids);
    const list = [...bookings.values()];
    const choices = await offsetChoices(
      tx,
      list.map((b) => b.customerId),
      list.map((b) => b.vendorId),
    );
    const now = this.now();
    await replaceReminders(
      tx,
      list.map((b) => {
        const offsets = reminderOffsets(choices.own.get(b.customerId) ?? null, choices.vendor.get(b.vendorId) ?? null);
        return { booking: b, wanted: b.status === 'confirmed' ? reminderSchedule(b.startAt, offsets, now) : [] };
      }),
    );
  }

  /**
   * Sends the reminders that are due (run by the workers loop on every node): marks them sent and makes their
   * notifications in one transaction, so each is sent once. Returns how many it took.
   */
  async sendDue(now: Date = this.now(), limit = 100): Promise<number> {
    const taken = await this.db.transaction(async (tx) => {
      const due = await takeDueReminders(tx, now, limit);
      if (due.length === 0) return 0;
      const bookings = await reminderBookings(
        tx,
        due.map((d) => d.bookingId),
      );
      const list = [...bookings.values()];
      const names = await namesOf(tx, {
        services: list.map((b) => b.serviceId),
        resources: list.map((b) => b.resourceId),
        vendors: [],
        users: [],
      });
      const rows: Planned[] = due.flatMap((d) => {
        const b = bookings.get(d.bookingId);
        // Cancelled between the worker's last look and now: the job is spent, nothing is said.
        if (b?.status !== 'confirmed') return [];
        const service = names.services.get(b.serviceId) ?? 'Your booking';
        return [
          {
            userId: d.customerId,
            // Negative: a reminder is not a log event; with user_id it keeps creation idempotent.
            sourceEventId: -d.id,
            bookingId: b.id,
            category: 'reminder',
            priority: 1,
            title: `Reminder: ${service} ${aheadText(d.offsetMinutes)}`,
            body: `${service} · ${formatWhen(b.startAt.toISOString(), b.timezone)} (${names.resources.get(b.resourceId) ?? ''})`,
            bookingStart: b.startAt,
          },
        ];
      });
      await this.notifications.create(tx, rows);
      return due.length;
    });
    if (taken) this.onEvents();
    return taken;
  }
}
