import { Settings } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  blockOf,
  checkBookable,
  freeSlots,
  type Interval,
  localDateOf,
  openIntervals,
  type Schedule,
  type ServiceTiming,
  slotStarts,
} from './availability.js';

// 2026-06-01 is a Monday; Berlin is on +02:00 all June.
const berlin: Schedule = {
  timezone: 'Europe/Berlin',
  weeklyHours: { mon: [{ start: '09:00', end: '12:00' }], tue: [], wed: [{ start: '09:00', end: '11:00' }] },
  exceptions: [],
  slotIntervalMinutes: 30,
};
const hour: ServiceTiming = { durationMinutes: 60, bufferBeforeMinutes: 0, bufferAfterMinutes: 0 };
const at = (iso: string) => new Date(iso);
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
const interval = (start: string, end: string): Interval => ({ start: at(start), end: at(end) });
const longAgo = at('2000-01-01T00:00:00Z');

describe('openIntervals', () => {
  it('converts weekly local hours to absolute instants in the schedule zone', () => {
    expect(openIntervals(berlin, '2026-06-01')).toEqual([interval('2026-06-01T07:00:00Z', '2026-06-01T10:00:00Z')]);
  });

  it('treats a weekday with no entry or an empty list as closed', () => {
    expect(openIntervals(berlin, '2026-06-02')).toEqual([]); // tue: []
    expect(openIntervals(berlin, '2026-06-04')).toEqual([]); // thu: absent
  });

  it('closes a day with an exception that has no hours', () => {
    const schedule = { ...berlin, exceptions: [{ date: '2026-06-01', hours: [] }] };
    expect(openIntervals(schedule, '2026-06-01')).toEqual([]);
    expect(openIntervals(schedule, '2026-06-08')).toHaveLength(1); // the next Monday is untouched
  });

  it('replaces the weekly hours with an exception that has special hours, even on a closed weekday', () => {
    const schedule = {
      ...berlin,
      exceptions: [
        { date: '2026-06-01', hours: [{ start: '14:00', end: '15:00' }] },
        { date: '2026-06-04', hours: [{ start: '10:00', end: '11:00' }] },
      ],
    };
    expect(openIntervals(schedule, '2026-06-01')).toEqual([interval('2026-06-01T12:00:00Z', '2026-06-01T13:00:00Z')]);
    expect(openIntervals(schedule, '2026-06-04')).toEqual([interval('2026-06-04T08:00:00Z', '2026-06-04T09:00:00Z')]);
  });

  it('reads an end of 24:00 as midnight of the next day', () => {
    const schedule = { ...berlin, weeklyHours: { sat: [{ start: '20:00', end: '24:00' }] } };
    expect(openIntervals(schedule, '2026-06-06')).toEqual([interval('2026-06-06T18:00:00Z', '2026-06-06T22:00:00Z')]);
  });

  it('moves a local time inside the spring-forward gap to the first instant after it', () => {
    const schedule = {
      ...berlin,
      weeklyHours: {
        sun: [
          { start: '02:00', end: '02:45' }, // wholly inside the gap: never happens
          { start: '02:30', end: '04:00' },
        ],
      },
    };
    // 02:30 does not exist on 2026-03-29; clocks jump from 02:00+01:00 to 03:00+02:00 at 01:00Z.
    expect(openIntervals(schedule, '2026-03-29')).toEqual([interval('2026-03-29T01:00:00Z', '2026-03-29T02:00:00Z')]);
  });

  it('takes the earlier offset for an ambiguous fall-back time, whatever the current season', () => {
    const schedule: Schedule = {
      ...berlin,
      timezone: 'America/New_York',
      weeklyHours: { sun: [{ start: '01:30', end: '03:00' }] },
    };
    const original = Settings.now;
    try {
      for (const now of ['2026-01-15T00:00:00Z', '2026-07-15T00:00:00Z']) {
        Settings.now = () => Date.parse(now);
        // 01:30-04:00 (EDT), not 01:30-05:00 (EST).
        expect(openIntervals(schedule, '2026-11-01')).toEqual([
          interval('2026-11-01T05:30:00Z', '2026-11-01T08:00:00Z'),
        ]);
      }
    } finally {
      Settings.now = original;
    }
  });

  it('rejects an unknown time zone and a malformed date', () => {
    expect(() => openIntervals({ ...berlin, timezone: 'Mars/Olympus' }, '2026-06-01')).toThrow(RangeError);
    expect(() => openIntervals(berlin, '2026-02-30')).toThrow(RangeError);
  });
});

describe('slotStarts', () => {
  it('steps by the slot interval and keeps only slots that end by closing time', () => {
    expect(iso(slotStarts(berlin, hour, '2026-06-01'))).toEqual([
      '2026-06-01T07:00:00.000Z',
      '2026-06-01T07:30:00.000Z',
      '2026-06-01T08:00:00.000Z',
      '2026-06-01T08:30:00.000Z',
      '2026-06-01T09:00:00.000Z',
    ]);
  });

  it('refuses a slot interval that would never advance', () => {
    expect(() => slotStarts({ ...berlin, slotIntervalMinutes: 0 }, hour, '2026-06-01')).toThrow(RangeError);
  });
});

describe('blockOf', () => {
  it('spans the buffer before, the service and the buffer after', () => {
    const timing = { durationMinutes: 60, bufferBeforeMinutes: 10, bufferAfterMinutes: 15 };
    expect(blockOf(timing, at('2026-06-01T08:00:00Z'))).toEqual(
      interval('2026-06-01T07:50:00Z', '2026-06-01T09:15:00Z'),
    );
  });
});

describe('freeSlots', () => {
  const base = { schedule: berlin, timing: hour, busy: [], notBefore: longAgo };

  it('lists the grid of every open date in the range, skipping closed days, sorted by start', () => {
    const slots = freeSlots({ ...base, from: '2026-06-01', to: '2026-06-03' });
    expect(slots.map((s) => s.localStart)).toEqual([
      '2026-06-01T09:00+02:00',
      '2026-06-01T09:30+02:00',
      '2026-06-01T10:00+02:00',
      '2026-06-01T10:30+02:00',
      '2026-06-01T11:00+02:00',
      '2026-06-03T09:00+02:00',
      '2026-06-03T09:30+02:00',
      '2026-06-03T10:00+02:00',
    ]);
    expect(slots[0]).toEqual({
      startAt: '2026-06-01T07:00:00.000Z',
      endAt: '2026-06-01T08:00:00.000Z',
      localStart: '2026-06-01T09:00+02:00',
      localEnd: '2026-06-01T10:00+02:00',
    });
  });

  it('skips a date closed by an exception', () => {
    const schedule = { ...berlin, exceptions: [{ date: '2026-06-01', hours: [] }] };
    const slots = freeSlots({ ...base, schedule, from: '2026-06-01', to: '2026-06-03' });
    expect(slots.map((s) => s.localStart.slice(0, 10))).toEqual(['2026-06-03', '2026-06-03', '2026-06-03']);
  });

  it('lets a slot touch a busy interval without overlapping it', () => {
    const busy = [interval('2026-06-01T08:00:00Z', '2026-06-01T09:00:00Z')]; // 10:00-11:00 local
    const slots = freeSlots({ ...base, busy, from: '2026-06-01', to: '2026-06-01' });
    expect(slots.map((s) => s.localStart)).toEqual(['2026-06-01T09:00+02:00', '2026-06-01T11:00+02:00']);
  });

  it('blocks neighbouring slots whose buffers reach into a busy interval', () => {
    const schedule = { ...berlin, weeklyHours: { mon: [{ start: '08:00', end: '13:00' }] } };
    const timing = { durationMinutes: 60, bufferBeforeMinutes: 15, bufferAfterMinutes: 15 };
    const busy = [interval('2026-06-01T08:00:00Z', '2026-06-01T09:00:00Z')]; // 10:00-11:00 local
    const slots = freeSlots({ ...base, schedule, timing, busy, from: '2026-06-01', to: '2026-06-01' });
    // 09:00 would hold until 10:15 and 11:00 from 10:45, so both are blocked.
    expect(slots.map((s) => s.localStart.slice(11, 16))).toEqual(['08:00', '08:30', '11:30', '12:00']);
  });

  it('drops slots that start before notBefore and keeps one starting exactly at it', () => {
    const notBefore = at('2026-06-01T08:00:00Z');
    const slots = freeSlots({ ...base, notBefore, from: '2026-06-01', to: '2026-06-01' });
    expect(slots.map((s) => s.startAt)).toEqual([
      '2026-06-01T08:00:00.000Z',
      '2026-06-01T08:30:00.000Z',
      '2026-06-01T09:00:00.000Z',
    ]);
  });

  it('yields 5 slots, not 6, on the Berlin spring-forward day', () => {
    const schedule: Schedule = {
      timezone: 'Europe/Berlin',
      weeklyHours: { sun: [{ start: '00:00', end: '06:00' }] },
      exceptions: [],
      slotIntervalMinutes: 60,
    };
    const slots = freeSlots({ ...base, schedule, from: '2026-03-29', to: '2026-03-29' });
    expect(slots.map((s) => [s.startAt, s.localStart, s.localEnd])).toEqual([
      ['2026-03-28T23:00:00.000Z', '2026-03-29T00:00+01:00', '2026-03-29T01:00+01:00'],
      ['2026-03-29T00:00:00.000Z', '2026-03-29T01:00+01:00', '2026-03-29T03:00+02:00'],
      ['2026-03-29T01:00:00.000Z', '2026-03-29T03:00+02:00', '2026-03-29T04:00+02:00'],
      ['2026-03-29T02:00:00.000Z', '2026-03-29T04:00+02:00', '2026-03-29T05:00+02:00'],
      ['2026-03-29T03:00:00.000Z', '2026-03-29T05:00+02:00', '2026-03-29T06:00+02:00'],
    ]);
  });

  it('yields 5 slots, two labelled 01:00 with different offsets, on the New York fall-back day', () => {
    const schedule: Schedule = {
      timezone: 'America/New_York',
      weeklyHours: { sun: [{ start: '00:00', end: '04:00' }] },
      exceptions: [],
      slotIntervalMinutes: 60,
    };
    const slots = freeSlots({ ...base, schedule, from: '2026-11-01', to: '2026-11-01' });
    expect(slots.map((s) => [s.startAt, s.localStart])).toEqual([
      ['2026-11-01T04:00:00.000Z', '2026-11-01T00:00-04:00'],
      ['2026-11-01T05:00:00.000Z', '2026-11-01T01:00-04:00'],
      ['2026-11-01T06:00:00.000Z', '2026-11-01T01:00-05:00'],
      ['2026-11-01T07:00:00.000Z', '2026-11-01T02:00-05:00'],
      ['2026-11-01T08:00:00.000Z', '2026-11-01T03:00-05:00'],
    ]);
  });

  it('offers the last hour before a 24:00 close, ending at midnight of the next day', () => {
    const schedule = { ...berlin, slotIntervalMinutes: 60, weeklyHours: { sat: [{ start: '20:00', end: '24:00' }] } };
    const slots = freeSlots({ ...base, schedule, from: '2026-06-06', to: '2026-06-06' });
    expect(slots).toHaveLength(4);
    expect(slots.at(-1)).toEqual({
      startAt: '2026-06-06T21:00:00.000Z',
      endAt: '2026-06-06T22:00:00.000Z',
      localStart: '2026-06-06T23:00+02:00',
      localEnd: '2026-06-07T00:00+02:00',
    });
  });

  it('returns at most `limit` slots, the earliest ones', () => {
    const slots = freeSlots({ ...base, from: '2026-06-01', to: '2026-06-03', limit: 2 });
    expect(slots.map((s) => s.localStart)).toEqual(['2026-06-01T09:00+02:00', '2026-06-01T09:30+02:00']);
  });

  it('returns nothing when from is after to, and refuses ranges over 62 days', () => {
    expect(freeSlots({ ...base, from: '2026-06-03', to: '2026-06-01' })).toEqual([]);
    expect(freeSlots({ ...base, from: '2026-06-01', to: '2026-08-01' }).length).toBeGreaterThan(0); // 62 days
    expect(() => freeSlots({ ...base, from: '2026-06-01', to: '2026-08-02' })).toThrow(RangeError);
  });
});

describe('checkBookable', () => {
  const now = at('2026-05-01T00:00:00Z');

  it('accepts a future start on the slot grid', () => {
    expect(checkBookable(berlin, hour, at('2026-06-01T07:30:00Z'), now)).toBeNull();
  });

  it('answers for the hours it is given: a resource whose hours changed is not checked against the old ones', () => {
    // The catalogue hands out a new object when a resource changes; the same date must be worked out again.
    expect(checkBookable(berlin, hour, at('2026-06-01T07:30:00Z'), now)).toBeNull();
    const later = { ...berlin, weeklyHours: { ...berlin.weeklyHours, mon: [{ start: '13:00', end: '17:00' }] } };
    expect(checkBookable(later, hour, at('2026-06-01T07:30:00Z'), now)).toBe('BOOKING_OUTSIDE_OPENING_HOURS');
    expect(checkBookable(later, hour, at('2026-06-01T11:00:00Z'), now)).toBeNull();
    expect(checkBookable(berlin, hour, at('2026-06-01T11:00:00Z'), now)).toBe('BOOKING_OUTSIDE_OPENING_HOURS');
  });

  it('rejects a start before now with BOOKING_IN_PAST', () => {
    expect(checkBookable(berlin, hour, at('2026-06-01T07:30:00Z'), at('2026-06-01T07:31:00Z'))).toBe('BOOKING_IN_PAST');
  });

  it('rejects a booking that starts before opening or runs past closing with BOOKING_OUTSIDE_OPENING_HOURS', () => {
    expect(checkBookable(berlin, hour, at('2026-06-01T06:30:00Z'), now)).toBe('BOOKING_OUTSIDE_OPENING_HOURS');
    expect(checkBookable(berlin, hour, at('2026-06-01T09:30:00Z'), now)).toBe('BOOKING_OUTSIDE_OPENING_HOURS');
    expect(checkBookable(berlin, hour, at('2026-06-02T07:00:00Z'), now)).toBe('BOOKING_OUTSIDE_OPENING_HOURS');
  });

  it('rejects a start inside hours but off the grid with BOOKING_NOT_ON_SLOT_BOUNDARY', () => {
    expect(checkBookable(berlin, hour, at('2026-06-01T07:15:00Z'), now)).toBe('BOOKING_NOT_ON_SLOT_BOUNDARY');
  });

  it('accepts the second 01:00 on the New York fall-back day', () => {
    const schedule: Schedule = {
      timezone: 'America/New_York',
      weeklyHours: { sun: [{ start: '00:00', end: '04:00' }] },
      exceptions: [],
      slotIntervalMinutes: 60,
    };
    expect(checkBookable(schedule, hour, at('2026-11-01T06:00:00Z'), now)).toBeNull();
  });
});

describe('localDateOf', () => {
  it('gives the date in the zone, not in UTC', () => {
    expect(localDateOf('Europe/Berlin', at('2026-06-01T22:30:00Z'))).toBe('2026-06-02');
    expect(localDateOf('America/New_York', at('2026-06-01T02:30:00Z'))).toBe('2026-05-31');
  });
});
