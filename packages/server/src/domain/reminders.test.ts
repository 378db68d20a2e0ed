import { describe, expect, it } from 'vitest';
import { aheadText, reminderOffsets, reminderSchedule } from './reminders.js';

const start = new Date('2030-05-10T14:00:00Z');

describe('reminders', () => {
  it.each([
    [null, null, [1440, 120]],
    [null, [60], [60]],
    [[30], [60], [30]],
    [[], [60], []],
  ] as const)('own %o over vendor %o gives %o', (own, vendor, expected) => {
    expect(reminderOffsets(own, vendor)).toEqual(expected);
  });

  it('schedules each offset still ahead, earliest first', () => {
    expect(reminderSchedule(start, [120, 1440], new Date('2030-05-01T00:00:00Z'))).toEqual([
      { offsetMinutes: 1440, dueAt: new Date('2030-05-09T14:00:00Z') },
      { offsetMinutes: 120, dueAt: new Date('2030-05-10T12:00:00Z') },
    ]);
  });

  it('skips offsets already past when the booking is confirmed late', () => {
    expect(reminderSchedule(start, [1440, 120], new Date('2030-05-10T12:30:00Z'))).toEqual([]);
    expect(reminderSchedule(start, [1440, 120], new Date('2030-05-10T11:00:00Z')).map((r) => r.offsetMinutes)).toEqual([
      120,
    ]);
  });

  it('words the lead time', () => {
    expect([aheadText(1440), aheadText(2880), aheadText(120), aheadText(60), aheadText(90)]).toEqual([
      'in 1 day',
      'in 2 days',
      'in 2 hours',
      'in 1 hour',
      'in 90 minutes',
    ]);
  });
});
