import type { ChannelMatrix, NotificationCategory, NotificationChannel, QuietHours } from '@slotcast/protocol';
import { DateTime } from 'luxon';

export type Delivery = { kind: 'send' } | { kind: 'hold'; until: Date } | { kind: 'drop' };

export interface DeliveryPrefs {
  matrix: ChannelMatrix;
  quietHours: QuietHours;
  /** Staff categories sent as an hourly or daily digest on push and email (absent: each at once). */
  frequencies?: ReadonlyMap<NotificationCategory, 'hourly' | 'daily'>;
}

/** Categories that may break through quiet hours when the booking is about to start (and the user asked for it). */
export const URGENT_CATEGORIES: readonly NotificationCategory[] = ['cancellation', 'change'];

const parse = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return { hour: h ?? 0, minute: m ?? 0 };
};

/**
 * The quiet period containing `now`, if any, as an instant interval. Each window is laid on the local calendar in the
 * user's zone (luxon resolves wall-clock times through DST: a start in a skipped hour moves forward, a time that
 * occurs twice takes its first occurrence), starting yesterday too, since a window from 22:00 to 07:00 that started
 * yesterday is still running this morning.
 */
export function quietPeriodAt(q: QuietHours, now: Date): { start: Date; end: Date } | null {
  let found: { start: Date; end: Date } | null = null;
  for (const p of quietPeriods(q, now, -1, 1)) {
    if (p.start <= now && now < p.end && (!found || p.end > found.end)) found = p;
  }
  return found;
}

/** The next quiet period that has not ended at `now` (the current one if inside), within the next 8 days. */
export function nextQuietPeriod(q: QuietHours, now: Date): { start: Date; end: Date } | null {
  const current = quietPeriodAt(q, now);
  if (current) return current;
  const upcoming = quietPeriods(q, now, 0, 8)
    .filter((p) => p.start > now)
    .sort((a, b) => a.start.getTime() - b.start.getTime());
  return upcoming[0] ?? null;
}

function quietPeriods(q: QuietHours, now: Date, fromDay: number, toDay: number) {
  // Most users set no quiet hours, and the notifications worker asks for each recipient and channel: skip luxon.
  if (q.windows.length === 0) return [];
  const today = DateTime.fromJSDate(now, { zone: q.timeZone }).startOf('day');
  const out: { start: Date; end: Date }[] = [];
  for (let d = fromDay; d <= toDay; d++) {
    const day = today.plus({ days: d });
    for (const w of q.windows) {
      if (!w.days.includes(day.weekday)) continue;
      const start = day.set(parse(w.start));
      const endDay = w.end <= w.start ? day.plus({ days: 1 }) : day;
      const end = endDay.set(parse(w.end));
      if (end > start) out.push({ start: start.toJSDate(), end: end.toJSDate() });
    }
  }
  return mergeOverlapping(out);
}

/** Windows that touch (Mon 22–07 and Tue 07–08) form one quiet period: a held message waits for the last end. */
function mergeOverlapping(periods: { start: Date; end: Date }[]) {
  const sorted = periods.sort((a, b) => a.start.getTime() - b.start.getTime());
  const merged: { start: Date; end: Date }[] = [];
  for (const p of sorted) {
    const last = merged.at(-1);
    if (last && p.start <= last.end) {
      if (p.end > last.end) last.end = p.end;
    } else merged.push({ ...p });
  }
  return merged;
}

/**
 * Whether a notification goes out on a channel now, waits for the end of quiet hours, or not at all.
 * - channel off for the category → drop (in-app history is its own channel, decided the same way);
 * - in-app is a list the user opens, so it is never held;
 * - inside quiet hours → hold until they end, unless the user set `urgentWithinHours` and this is a cancellation
 *   or change of a booking starting within that many hours (or already started): then it breaks through.
 */
export function decide(
  prefs: DeliveryPrefs,
  category: NotificationCategory,
  channel: NotificationChannel,
  now: Date,
  bookingStart?: Date,
): Delivery {
  if (!prefs.matrix[category][channel]) return { kind: 'drop' };
  if (channel === 'in_app') return { kind: 'send' };
  const quiet = quietPeriodAt(prefs.quietHours, now);
  if (!quiet) return { kind: 'send' };
  const n = prefs.quietHours.urgentWithinHours;
  if (
    n !== null &&
    bookingStart &&
    URGENT_CATEGORIES.includes(category) &&
    bookingStart.getTime() - now.getTime() <= n * 3_600_000
  )
    return { kind: 'send' };
  return { kind: 'hold', until: quiet.end };
}
