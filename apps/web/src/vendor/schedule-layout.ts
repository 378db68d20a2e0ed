import type { Booking, Resource } from '@slotcast/protocol';
import { weekdayKey, zonedParts } from '../time/zoned.js';

export interface Lane {
  key: string;
  resource: Resource;
  /** Local date of the resource (YYYY-MM-DD). */
  date: string;
}

export interface Placed {
  booking: Booking;
  /** Minutes since local midnight of the lane's date. */
  start: number;
  end: number;
}

// Local parts per booking object: a live update recomputes only the booking that changed.
const partsCache = new WeakMap<Booking, { date: string; start: number; end: number }>();

export function localSpan(b: Booking): { date: string; start: number; end: number } {
  let p = partsCache.get(b);
  if (!p) {
    const s = zonedParts(b.startAt, b.timezone);
    const e = zonedParts(b.endAt, b.timezone);
    // A booking past midnight ends at the bottom of its first day's lane.
    p = { date: s.date, start: s.minutes, end: e.date === s.date ? e.minutes : 24 * 60 };
    partsCache.set(b, p);
  }
  return p;
}

export const laneKey = (resourceId: string, date: string) => `${resourceId}|${date}`;

/** Bookings by lane, each lane in start order. */
export function placeBookings(bookings: Iterable<Booking>, lanes: readonly Lane[]): Map<string, Placed[]> {
  const out = new Map<string, Placed[]>();
  for (const lane of lanes) out.set(lane.key, []);
  for (const b of bookings) {
    const span = localSpan(b);
    const list = out.get(laneKey(b.resourceId, span.date));
    if (list) list.push({ booking: b, start: span.start, end: span.end });
  }
  for (const list of out.values()) list.sort((a, b) => a.start - b.start);
  return out;
}

/**
 * `next` with each lane's array replaced by the previous one where nothing in the lane changed, so a live update
 * re-renders only the lanes it touched.
 */
export function reusePlacement(prev: Map<string, Placed[]> | null, next: Map<string, Placed[]>): Map<string, Placed[]> {
  if (!prev) return next;
  for (const [key, list] of next) {
    const old = prev.get(key);
    if (
      old &&
      old.length === list.length &&
      old.every((p, i) => p.booking === list[i]!.booking && p.start === list[i]!.start && p.end === list[i]!.end)
    ) {
      next.set(key, old);
    }
  }
  return next;
}

/**
 * Per lane, the highlighted bookings in it, reusing the previous lane's map when its highlights did not change; lanes
 * without any get none. Lanes whose map is unchanged stay memoised.
 */
export function freshByLane<F>(
  placed: Map<string, Placed[]>,
  fresh: ReadonlyMap<string, F>,
  prev: Map<string, ReadonlyMap<string, F>> | null,
): Map<string, ReadonlyMap<string, F>> {
  const out = new Map<string, ReadonlyMap<string, F>>();
  if (fresh.size === 0) return out;
  for (const [key, list] of placed) {
    let mine: Map<string, F> | null = null;
    for (const p of list) {
      const f = fresh.get(p.booking.id);
      if (f !== undefined) (mine ??= new Map()).set(p.booking.id, f);
    }
    if (!mine) continue;
    const old = prev?.get(key);
    out.set(key, old && sameEntries(old, mine) ? old : mine);
  }
  return out;
}

function sameEntries<F>(a: ReadonlyMap<string, F>, b: ReadonlyMap<string, F>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/** The hours to draw: from the earliest opening to the latest closing of the lanes, at least 08:00 to 18:00. */
export function visibleHours(lanes: readonly Lane[]): { from: number; to: number } {
  let from = 8 * 60;
  let to = 18 * 60;
  for (const lane of lanes) {
    const exception = lane.resource.exceptions.find((e) => e.date === lane.date);
    const hours = exception ? exception.hours : (lane.resource.weeklyHours[weekdayKey(lane.date)] ?? []);
    for (const h of hours) {
      from = Math.min(from, toMinutes(h.start));
      to = Math.max(to, toMinutes(h.end));
    }
  }
  return { from: Math.floor(from / 60) * 60, to: Math.ceil(to / 60) * 60 };
}

/** The open intervals of a lane, for shading closed time. */
export function openIntervals(lane: Lane): { start: number; end: number }[] {
  const exception = lane.resource.exceptions.find((e) => e.date === lane.date);
  const hours = exception ? exception.hours : (lane.resource.weeklyHours[weekdayKey(lane.date)] ?? []);
  return hours.map((h) => ({ start: toMinutes(h.start), end: toMinutes(h.end) }));
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** The first date from `from` on which any of the resources opens (within two weeks; else `from` itself). */
export function nextOpenDay(resources: readonly Resource[], from: string, addDays: (d: string, n: number) => string) {
  for (let i = 0; i < 14; i++) {
    const date = addDays(from, i);
    if (resources.some((resource) => openIntervals({ key: '', resource, date }).length > 0)) return date;
  }
  return from;
}
