import { Temporal } from 'temporal-polyfill';

/**
 * Dates and times in a named time zone, through Temporal (a polyfill until browsers ship it). A "local date" is
 * `YYYY-MM-DD` as the calendar reads in that zone; bookings are shown in their resource's zone, customers also see
 * their own. The server does the same math with luxon; both follow the IANA rules the same way.
 */

const zoned = (at: string | number | Date, timeZone: string): Temporal.ZonedDateTime =>
  Temporal.Instant.fromEpochMilliseconds(at instanceof Date ? at.getTime() : new Date(at).getTime()).toZonedDateTimeISO(
    timeZone,
  );

export interface ZonedParts {
  /** YYYY-MM-DD in the zone. */
  date: string;
  /** Minutes since local midnight. */
  minutes: number;
}

export function zonedParts(at: string | number | Date, timeZone: string): ZonedParts {
  const z = zoned(at, timeZone);
  return { date: z.toPlainDate().toString(), minutes: z.hour * 60 + z.minute };
}

/** The zone's offset from UTC at `ms`, in minutes (Berlin in winter: 60). */
export function offsetMinutes(ms: number, timeZone: string): number {
  return Math.round(zoned(ms, timeZone).offsetNanoseconds / 60e9);
}

/**
 * The instant a local date and time happen in the zone. A wall time that a DST change skips is moved forward by the
 * gap; one it repeats is the earlier instant (Temporal's and luxon's "compatible" choice, so browser and server agree).
 */
export function zonedInstant(date: string, minutes: number, timeZone: string): number {
  return Temporal.PlainDate.from(date)
    .toPlainDateTime()
    .add({ minutes })
    .toZonedDateTime(timeZone, { disambiguation: 'compatible' }).epochMilliseconds;
}

export function todayIn(timeZone: string, now = Date.now()): string {
  return zoned(now, timeZone).toPlainDate().toString();
}

export function addDays(date: string, days: number): string {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}

/** The Monday on or before `date`. */
export function startOfWeek(date: string): string {
  const d = Temporal.PlainDate.from(date);
  return d.subtract({ days: d.dayOfWeek - 1 }).toString();
}

export function weekdayKey(date: string): 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun' {
  // Temporal numbers the days of the week from Monday = 1.
  return (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const)[Temporal.PlainDate.from(date).dayOfWeek - 1]!;
}

const timeFormatters = new Map<string, Intl.DateTimeFormat>();
export function formatTime(at: string | number, timeZone: string): string {
  let f = timeFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    timeFormatters.set(timeZone, f);
  }
  return f.format(new Date(at));
}

const dateFormatters = new Map<string, Intl.DateTimeFormat>();
export function formatDate(at: string | number, timeZone: string): string {
  let f = dateFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short' });
    dateFormatters.set(timeZone, f);
  }
  return f.format(new Date(at));
}

/** A local date (YYYY-MM-DD) as "Tue 3 Dec". */
export function formatLocalDate(date: string): string {
  return formatDate(`${date}T12:00:00Z`, 'UTC');
}

export function formatLocalDateLong(date: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: 'UTC',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(new Date(`${date}T12:00:00Z`));
}

export function formatMinutes(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export function userTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** "Europe/Berlin" → "Berlin"; "America/New_York" → "New York". */
export function zoneCity(timeZone: string): string {
  return (timeZone.split('/').pop() ?? timeZone).replaceAll('_', ' ');
}

/** "in 5 min", "3 h ago": for notification times. */
export function relativeTime(at: string, now = Date.now()): string {
  const diff = Math.round((Date.parse(at) - now) / 1000);
  const abs = Math.abs(diff);
  const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto', style: 'short' });
  if (abs < 45) return 'just now';
  if (abs < 3600) return rtf.format(Math.round(diff / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(diff / 3600), 'hour');
  return rtf.format(Math.round(diff / 86_400), 'day');
}
