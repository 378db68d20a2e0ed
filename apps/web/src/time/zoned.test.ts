import { describe, expect, it } from 'vitest';
import { addDays, offsetMinutes, startOfWeek, todayIn, weekdayKey, zonedInstant, zonedParts } from './zoned.js';

const at = (iso: string) => Date.parse(iso);

describe('time-zone math for schedules and bookings', () => {
  it('reads the local date and minute of an instant in the resource zone', () => {
    expect(zonedParts('2026-01-15T23:30:00Z', 'Europe/Berlin')).toEqual({ date: '2026-01-16', minutes: 30 });
    expect(zonedParts(at('2026-07-01T03:15:00Z'), 'America/New_York')).toEqual({ date: '2026-06-30', minutes: 1395 });
    expect(zonedParts(new Date('2026-07-01T00:00:00Z'), 'Asia/Kolkata')).toEqual({ date: '2026-07-01', minutes: 330 });
  });

  it('gives the offset in summer and winter', () => {
    expect(offsetMinutes(at('2026-01-15T12:00:00Z'), 'Europe/Berlin')).toBe(60);
    expect(offsetMinutes(at('2026-07-15T12:00:00Z'), 'Europe/Berlin')).toBe(120);
    expect(offsetMinutes(at('2026-07-15T12:00:00Z'), 'America/St_Johns')).toBe(-150);
  });

  it('finds the instant of a local time, on either side of a DST change', () => {
    expect(zonedInstant('2026-03-28', 9 * 60, 'Europe/Berlin')).toBe(at('2026-03-28T08:00:00Z'));
    expect(zonedInstant('2026-03-29', 9 * 60, 'Europe/Berlin')).toBe(at('2026-03-29T07:00:00Z'));
    // Minutes past the end of the day roll into the next one (a schedule's last column ends at 24:00).
    expect(zonedInstant('2026-03-28', 24 * 60, 'Europe/Berlin')).toBe(at('2026-03-28T23:00:00Z'));
  });

  it('moves a skipped wall time forward and takes the earlier of a repeated one, as the server does', () => {
    // 02:30 does not exist in Berlin on 29 March 2026: clocks jump from 02:00 to 03:00.
    expect(zonedInstant('2026-03-29', 150, 'Europe/Berlin')).toBe(at('2026-03-29T01:30:00Z'));
    // 02:30 happens twice on 25 October 2026: first in summer time (UTC+2).
    expect(zonedInstant('2026-10-25', 150, 'Europe/Berlin')).toBe(at('2026-10-25T00:30:00Z'));
  });

  it("tells today's date in a zone, across the date line", () => {
    const now = at('2026-05-10T22:00:00Z');
    expect(todayIn('UTC', now)).toBe('2026-05-10');
    expect(todayIn('Pacific/Auckland', now)).toBe('2026-05-11');
    expect(todayIn('Pacific/Honolulu', now)).toBe('2026-05-10');
  });

  it('steps calendar days across months, years and leap days', () => {
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('starts weeks on Monday and names weekdays', () => {
    expect(startOfWeek('2026-11-28')).toBe('2026-11-23'); // a Saturday
    expect(startOfWeek('2026-11-23')).toBe('2026-11-23');
    expect(startOfWeek('2027-01-03')).toBe('2026-12-28'); // a Sunday, week starts in the previous year
    expect(weekdayKey('2026-11-28')).toBe('sat');
    expect(weekdayKey('2026-11-29')).toBe('sun');
    expect(weekdayKey('2026-11-30')).toBe('mon');
  });
});
