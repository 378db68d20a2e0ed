import type { QuietHours } from '@slotcast/protocol';
import { Temporal } from 'temporal-polyfill';

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * The quiet period in force at `now`, or the next one within a week, as instants — the same rule as the server's
 * `domain/quiet-hours.ts` (windows per ISO weekday in the user's zone, ending the next day when end <= start, wall
 * times through DST with the "compatible" choice, touching windows joined).
 */
export function nextQuietPeriod(q: QuietHours, now: number): { start: number; end: number } | null {
  const today = Temporal.Instant.fromEpochMilliseconds(now).toZonedDateTimeISO(q.timeZone).toPlainDate();
  const at = (date: Temporal.PlainDate, minutes: number) =>
    date.toPlainDateTime().add({ minutes }).toZonedDateTime(q.timeZone, { disambiguation: 'compatible' })
      .epochMilliseconds;
  const periods: { start: number; end: number }[] = [];
  for (let d = -1; d <= 8; d++) {
    const day = today.add({ days: d });
    for (const w of q.windows) {
      if (!w.days.includes(day.dayOfWeek)) continue;
      const start = at(day, minutesOf(w.start));
      const end = at(w.end <= w.start ? day.add({ days: 1 }) : day, minutesOf(w.end));
      if (end > start) periods.push({ start, end });
    }
  }
  periods.sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const p of periods) {
    const last = merged.at(-1);
    if (last && p.start <= last.end) last.end = Math.max(last.end, p.end);
    else merged.push({ ...p });
  }
  return merged.find((p) => p.end > now) ?? null;
}
