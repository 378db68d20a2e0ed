import type { BookingEventData, ScheduleChanged } from '@slotcast/protocol';
import { ACTIVE_STATUSES, isBookingEvent } from '@slotcast/protocol';
import type { StoredEvent } from '../bus/event-bus.js';

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

/**
 * The notices of one batch, one per resource: each interval once, as its last change left it (taken, or released),
 * so a client applying the lists in any order ends where the events end.
 */
export function coalescedNotices(batch: readonly StoredEvent[]): ScheduleChanged[] {
  const perResource = new Map<
    string,
    { last: ScheduleChanged; bookingIds: Set<string>; intervals: Map<string, Change> }
  >();
  for (const e of batch) {
    for (const n of scheduleNotices(e)) {
      let r = perResource.get(n.resourceId);
      if (!r) {
        r = { last: n, bookingIds: new Set(), intervals: new Map() };
        perResource.set(n.resourceId, r);
      }
      r.last = n;
      r.bookingIds.add(n.bookingId);
      for (const i of n.released) r.intervals.set(`${i.startAt}/${i.endAt}`, { kind: 'released', interval: i });
      for (const i of n.taken) r.intervals.set(`${i.startAt}/${i.endAt}`, { kind: 'taken', interval: i });
    }
  }
  return [...perResource.values()].map(({ last, bookingIds, intervals }) => {
    const changes = [...intervals.values()];
    return {
      resourceId: last.resourceId,
      eventId: last.eventId,
      bookingId: last.bookingId,
      ...(bookingIds.size > 1 ? { bookingIds: [...bookingIds] } : {}),
      taken: changes.filter((c) => c.kind === 'taken').map((c) => c.interval),
      released: changes.filter((c) => c.kind === 'released').map((c) => c.interval),
    };
  });
}

type Change = { kind: 'taken' | 'released'; interval: { startAt: string; endAt: string } };
