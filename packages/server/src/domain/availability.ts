import type { ErrorCode, HoursException, OpeningInterval, Slot, Weekday, WeeklyHours } from '@slotcast/protocol';
import { IANAZone } from 'luxon';

export interface Schedule {
  timezone: string;
  weeklyHours: WeeklyHours;
  exceptions: HoursException[];
  slotIntervalMinutes: number;
}

export interface ServiceTiming {
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
}

/** Half-open [start, end). */
export interface Interval {
  start: Date;
  end: Date;
}

export type BookabilityError = Extract<
  ErrorCode,
  'BOOKING_IN_PAST' | 'BOOKING_OUTSIDE_OPENING_HOURS' | 'BOOKING_NOT_ON_SLOT_BOUNDARY'
>;

export const DEFAULT_SLOT_LIMIT = 2000;
export const MAX_DAYS_PER_CALL = 62;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const satisfies readonly Weekday[];
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_TIME = /^(\d{2}):(\d{2})$/;

/** Absolute open intervals of one local date (YYYY-MM-DD in the schedule's zone), sorted by start. */
export function openIntervals(schedule: Schedule, localDate: string): Interval[] {
  return openSpans(schedule, localDate).map(([start, end]) => ({ start: new Date(start), end: new Date(end) }));
}

type Span = readonly [start: number, end: number];

/** Per schedule object (the catalogue cache hands out the same one until it changes): its spans by local date. */
const spansMemo = new WeakMap<Schedule, Map<string, readonly Span[]>>();
const SPAN_DATES_PER_SCHEDULE = 64;

/**
 * openIntervals as epoch-ms pairs, remembered per schedule and date: each is a dozen time-zone offset lookups, and a
 * booking checks the same few dates of the same resource over and over.
 */
function openSpans(schedule: Schedule, localDate: string): readonly Span[] {
  let byDate = spansMemo.get(schedule);
  const known = byDate?.get(localDate);
  if (known) return known;
  const zone = zoneOf(schedule.timezone);
  const midnight = parseLocalDate(localDate);
  const out: Span[] = [];
  for (const hours of hoursOf(schedule, localDate, midnight)) {
    const start = wallToInstant(zone, midnight + minutesOf(hours.start) * MINUTE_MS);
    const end = wallToInstant(zone, midnight + minutesOf(hours.end) * MINUTE_MS);
    // Hours lying wholly inside a spring-forward gap collapse to nothing.
    if (start < end) out.push([start, end]);
  }
  out.sort((a, b) => a[0] - b[0]);
  if (!byDate) spansMemo.set(schedule, (byDate = new Map()));
  else if (byDate.size >= SPAN_DATES_PER_SCHEDULE) byDate.clear();
  byDate.set(localDate, out);
  return out;
}

/** The slot grid of one local date: every start t = open.start + k*slotInterval (k>=0, stepping in ABSOLUTE minutes) with t+duration <= open.end. */
export function slotStarts(schedule: Schedule, timing: ServiceTiming, localDate: string): Date[] {
  const step = wholeMinutes(schedule.slotIntervalMinutes, 'slotIntervalMinutes', 1) * MINUTE_MS;
  const duration = durationMs(timing);
  // A set, because overlapping opening intervals may put the same start on the grid twice.
  const starts = new Set<number>();
  for (const [start, end] of openSpans(schedule, localDate)) {
    for (let t = start; t <= end - duration; t += step) starts.add(t);
  }
  return [...starts].sort((a, b) => a - b).map((t) => new Date(t));
}

/** The blocked interval of a booking starting at `start`: [start - bufferBefore, start + duration + bufferAfter). */
export function blockOf(timing: ServiceTiming, start: Date): Interval {
  const before = wholeMinutes(timing.bufferBeforeMinutes, 'bufferBeforeMinutes', 0) * MINUTE_MS;
  const after = wholeMinutes(timing.bufferAfterMinutes, 'bufferAfterMinutes', 0) * MINUTE_MS;
  const t = start.getTime();
  return { start: new Date(t - before), end: new Date(t + durationMs(timing) + after) };
}

/** Free slots over local dates from..to inclusive: grid slots that start at or after `notBefore` and whose blockOf() overlaps no `busy` interval. Sorted by startAt. At most `limit` (default 2000). */
export function freeSlots(args: {
  schedule: Schedule;
  timing: ServiceTiming;
  from: string;
  to: string;
  busy: Interval[];
  notBefore: Date;
  limit?: number;
}): Slot[] {
  const { schedule, timing, from, to, busy, notBefore, limit = DEFAULT_SLOT_LIMIT } = args;
  const first = parseLocalDate(from);
  const last = parseLocalDate(to);
  if (first > last) return [];
  const days = (last - first) / DAY_MS + 1;
  if (days > MAX_DAYS_PER_CALL) {
    throw new RangeError(`availability spans ${days} days (${from}..${to}); at most ${MAX_DAYS_PER_CALL} per call`);
  }
  const zone = zoneOf(schedule.timezone);
  const isBusy = overlapIndex(busy);
  const earliest = notBefore.getTime();
  const max = Math.max(0, limit);
  const duration = durationMs(timing);
  // Dates map to disjoint, increasing spans of time, so walking them in order keeps the result sorted.
  const slots: Slot[] = [];
  for (let day = 0; day < days && slots.length < max; day++) {
    for (const start of slotStarts(schedule, timing, isoDate(first + day * DAY_MS))) {
      if (slots.length >= max) break;
      const t = start.getTime();
      if (t < earliest || isBusy(blockOf(timing, start))) continue;
      slots.push({
        startAt: start.toISOString(),
        endAt: new Date(t + duration).toISOString(),
        localStart: localLabel(zone, t),
        localEnd: localLabel(zone, t + duration),
      });
    }
  }
  return slots;
}

/** Why a booking may not start at `start`, or null if it is on the grid and in the future:
 *  'BOOKING_IN_PAST' if start < now; 'BOOKING_OUTSIDE_OPENING_HOURS' if [start, start+duration) is not inside one open interval of the local date of `start`;
 *  'BOOKING_NOT_ON_SLOT_BOUNDARY' if inside hours but not one of slotStarts(). Does not look at other bookings. */
export function checkBookable(
  schedule: Schedule,
  timing: ServiceTiming,
  start: Date,
  now: Date,
): BookabilityError | null {
  const t = start.getTime();
  if (t < now.getTime()) return 'BOOKING_IN_PAST';
  const end = t + durationMs(timing);
  const spans = openSpans(schedule, localDateOf(schedule.timezone, start));
  if (!spans.some(([s, e]) => s <= t && end <= e)) return 'BOOKING_OUTSIDE_OPENING_HOURS';
  // On slotStarts' grid: k whole steps after the start of an interval that holds the whole booking.
  const step = wholeMinutes(schedule.slotIntervalMinutes, 'slotIntervalMinutes', 1) * MINUTE_MS;
  return spans.some(([s, e]) => s <= t && end <= e && (t - s) % step === 0) ? null : 'BOOKING_NOT_ON_SLOT_BOUNDARY';
}

/** The local date (YYYY-MM-DD) of an instant in a zone. */
export function localDateOf(timezone: string, at: Date): string {
  const t = at.getTime();
  if (!Number.isFinite(t)) throw new RangeError('localDateOf: invalid date');
  return isoDate(t + offsetMs(zoneOf(timezone), t));
}

function zoneOf(timezone: string): IANAZone {
  const zone = IANAZone.create(timezone);
  if (!zone.isValid) throw new RangeError(`unknown time zone: ${timezone}`);
  return zone;
}

function offsetMs(zone: IANAZone, at: number): number {
  return zone.offset(at) * MINUTE_MS;
}

/**
 * The instant of a local wall time (given as epoch ms of that wall time read as UTC).
 * Deliberately not DateTime.fromObject: luxon resolves an ambiguous time with the zone's offset *today*
 * as its first guess, so its answer would change with the season the server runs in.
 */
function wallToInstant(zone: IANAZone, wall: number): number {
  // Offsets a day either side bracket any single transition near `wall`.
  const a = offsetMs(zone, wall - DAY_MS);
  const b = offsetMs(zone, wall + DAY_MS);
  const earlier = wall - Math.max(a, b);
  const later = wall - Math.min(a, b);
  // Ambiguous (fall-back): both candidates are valid; the earlier offset wins.
  for (const t of [earlier, later]) if (t + offsetMs(zone, t) === wall) return t;
  // Gap (spring-forward): the wall time never happens; use the transition, the first instant after it.
  let lo = earlier;
  let hi = later;
  const before = offsetMs(zone, lo);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetMs(zone, mid) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Local wall time with the zone's offset, minute precision: 2026-03-29T03:00+02:00. */
function localLabel(zone: IANAZone, at: number): string {
  const offset = Math.round(zone.offset(at));
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${new Date(at + offset * MINUTE_MS).toISOString().slice(0, 16)}${sign}${hh}:${mm}`;
}

/** The first exception for a date replaces that date's weekly hours. */
function hoursOf(schedule: Schedule, localDate: string, midnight: number): OpeningInterval[] {
  const exception = schedule.exceptions.find((e) => e.date === localDate);
  if (exception) return exception.hours;
  const weekday = WEEKDAYS[new Date(midnight).getUTCDay()]!;
  return schedule.weeklyHours[weekday] ?? [];
}

/** Epoch ms of the date's midnight read as UTC; the date must exist. */
function parseLocalDate(localDate: string): number {
  const m = LOCAL_DATE.exec(localDate);
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!Number.isFinite(t) || isoDate(t) !== localDate) throw new RangeError(`expected a YYYY-MM-DD date: ${localDate}`);
  return t;
}

function isoDate(utcMs: number): string {
  return new Date(utcMs).toISOString().slice(0, 10);
}

/** Minutes after local midnight; '24:00' is the next midnight. */
function minutesOf(localTime: string): number {
  const m = LOCAL_TIME.exec(localTime);
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : Number.NaN;
  if (!(m && Number(m[2]) < 60 && minutes <= 24 * 60)) throw new RangeError(`expected HH:MM up to 24:00: ${localTime}`);
  return minutes;
}

function durationMs(timing: ServiceTiming): number {
  return wholeMinutes(timing.durationMinutes, 'durationMinutes', 1) * MINUTE_MS;
}

/** Guards the grid loops: a zero, negative or fractional step would never end or drift off the minute. */
function wholeMinutes(value: number, name: string, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${name} must be an integer >= ${min}: ${value}`);
  return value;
}

/** A test "does this interval overlap any of these?" in O(log n) per call. */
function overlapIndex(intervals: Interval[]): (interval: Interval) => boolean {
  const sorted = intervals
    .map((i) => [i.start.getTime(), i.end.getTime()] as const)
    .filter(([s, e]) => s < e)
    .sort((x, y) => x[0] - y[0]);
  const starts = sorted.map(([s]) => s);
  const reach: number[] = [];
  let furthest = Number.NEGATIVE_INFINITY;
  for (const [, e] of sorted) {
    furthest = Math.max(furthest, e);
    reach.push(furthest);
  }
  return ({ start, end }) => {
    // Intervals starting before `end` form a prefix; one of them overlaps iff the furthest-reaching ends after `start`.
    const e = end.getTime();
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! < e) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && reach[lo - 1]! > start.getTime();
  };
}
