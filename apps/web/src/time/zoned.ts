/**
 * Dates and times in a named time zone, with the platform's Intl only. A "local date" is `YYYY-MM-DD` as the
 * calendar reads in that zone; bookings are shown in their resource's zone, customers also see their own.
 */

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    partsFormatters.set(timeZone, f);
  }
  return f;
}

export interface ZonedParts {
  /** YYYY-MM-DD in the zone. */
  date: string;
  /** Minutes since local midnight. */
  minutes: number;
}

export function zonedParts(at: string | number | Date, timeZone: string): ZonedParts {
  const d = at instanceof Date ? at : new Date(at);
  let y = '';
  let mo = '';
  let da = '';
  let h = 0;
  let mi = 0;
  for (const p of partsFormatter(timeZone).formatToParts(d)) {
    if (p.type === 'year') y = p.value;
    else if (p.type === 'month') mo = p.value;
    else if (p.type === 'day') da = p.value;
    else if (p.type === 'hour') h = Number(p.value);
    else if (p.type === 'minute') mi = Number(p.value);
  }
  return { date: `${y}-${mo}-${da}`, minutes: h * 60 + mi };
}

/** The zone's offset from UTC at `ms`, in minutes (Berlin in winter: 60). */
export function offsetMinutes(ms: number, timeZone: string): number {
  const { date, minutes } = zonedParts(ms, timeZone);
  const asUtc = Date.parse(`${date}T00:00:00Z`) + minutes * 60_000;
  return Math.round((asUtc - Math.floor(ms / 60_000) * 60_000) / 60_000);
}

/** The instant a local date and time happen in the zone (the later one in a DST gap's repeat). */
export function zonedInstant(date: string, minutes: number, timeZone: string): number {
  const guess = Date.parse(`${date}T00:00:00Z`) + minutes * 60_000;
  const first = guess - offsetMinutes(guess, timeZone) * 60_000;
  // The offset at the guess may differ from the offset at the answer across a DST change: correct once.
  return guess - offsetMinutes(first, timeZone) * 60_000;
}

export function todayIn(timeZone: string, now = Date.now()): string {
  return zonedParts(now, timeZone).date;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The Monday on or before `date`. */
export function startOfWeek(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(date, -((weekday + 6) % 7));
}

export function weekdayKey(date: string): 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun' {
  return (['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const)[new Date(`${date}T00:00:00Z`).getUTCDay()]!;
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
