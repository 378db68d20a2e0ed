import type { BookingEventData, ScheduleChanged } from '@slotcast/protocol';
import { ACTIVE_STATUSES, isBookingEvent } from '@slotcast/protocol';
import type { StoredEvent } from '../store/event-log.js';

const holds = (status: string | null) => status !== null && (ACTIVE_STATUSES as readonly string[]).includes(status);

/** What an event changes in a resource's schedule, stripped of who booked; null when it changes nothing. */
export function scheduleNotices(e: StoredEvent): ScheduleChanged[] {
  if (!isBookingEvent(e.envelope)) return [];
  const d = e.envelope.data as BookingEventData;
  const b = d.booking;
  const now = { startAt: b.startAt, endAt: b.endAt };
  const before = d.previous ?? (holds(d.previousStatus) ? { ...now, resourceId: b.resourceId } : null);
  const wasHeld = holds(d.previousStatus);
  const isHeld = holds(b.status);
  const notice = (resourceId: string): ScheduleChanged => ({
    resourceId,
    eventId: e.envelope.id,
    bookingId: b.id,
    taken: [],
    released: [],
  });
  const out = new Map<string, ScheduleChanged>();
  const get = (id: string) => out.get(id) ?? out.set(id, notice(id)).get(id)!;
  if (wasHeld && before && (!isHeld || d.previous))
    get(before.resourceId).released.push({ startAt: before.startAt, endAt: before.endAt });
  if (isHeld && (!wasHeld || d.previous)) get(b.resourceId).taken.push(now);
  return [...out.values()];
}
