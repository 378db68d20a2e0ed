import type { Resource } from '@slotcast/protocol';
import { describe, expect, it } from 'vitest';
import { aBooking } from '../../test/support/booking-fixture.js';
import { addDays } from '../time/zoned.js';
import { laneKey, nextOpenDay, placeBookings, visibleHours } from './schedule-layout.js';

const resource: Resource = {
  id: '20000000-0000-4000-8000-000000000001',
  vendorId: '10000000-0000-4000-8000-000000000001',
  name: 'Court 1',
  timezone: 'America/New_York',
  slotIntervalMinutes: 60,
  weeklyHours: { mon: [{ start: '07:00', end: '22:00' }], sat: [{ start: '08:00', end: '20:00' }] },
  exceptions: [{ date: '2030-01-12', hours: [{ start: '09:00', end: '12:00' }] }],
};

const booking = (id: string, startAt: string, endAt: string) =>
  aBooking({
    id,
    vendorId: resource.vendorId,
    resourceId: resource.id,
    status: 'confirmed',
    startAt,
    endAt,
    timezone: resource.timezone,
    priceMinor: 2500,
    currency: 'USD',
  });

describe('schedule layout', () => {
  it('places bookings in the lane of their local date, in the resource time zone, by start', () => {
    const lanes = ['2030-01-07', '2030-01-08'].map((date) => ({ key: laneKey(resource.id, date), resource, date }));
    // 02:00 UTC on the 8th is 21:00 on the 7th in New York.
    const late = booking('b1', '2030-01-08T02:00:00.000Z', '2030-01-08T03:00:00.000Z');
    const early = booking('b2', '2030-01-07T12:00:00.000Z', '2030-01-07T13:00:00.000Z');
    const placed = placeBookings([late, early], lanes);
    expect(placed.get(lanes[0]!.key)!.map((p) => [p.booking.id, p.start, p.end])).toEqual([
      ['b2', 7 * 60, 8 * 60],
      ['b1', 21 * 60, 22 * 60],
    ]);
    expect(placed.get(lanes[1]!.key)).toEqual([]);
  });

  it('draws from the earliest opening to the latest closing, exceptions included', () => {
    const lane = (date: string) => ({ key: laneKey(resource.id, date), resource, date });
    expect(visibleHours([lane('2030-01-07')])).toEqual({ from: 7 * 60, to: 22 * 60 });
    expect(visibleHours([lane('2030-01-12')])).toEqual({ from: 8 * 60, to: 18 * 60 });
  });
});

describe('nextOpenDay', () => {
  it('opens on the first day with opening hours: a closed Sunday moves on to Monday', () => {
    // 2030-01-06 is a Sunday; the court opens on Mondays and Saturdays.
    expect(nextOpenDay([resource], '2030-01-06', addDays)).toBe('2030-01-07');
    expect(nextOpenDay([resource], '2030-01-07', addDays)).toBe('2030-01-07');
  });

  it('counts an exception day as open, and stays put when nothing ever opens', () => {
    const closed = {
      ...resource,
      weeklyHours: {},
      exceptions: [{ date: '2030-01-09', hours: [{ start: '09:00', end: '10:00' }] }],
    };
    expect(nextOpenDay([closed], '2030-01-06', addDays)).toBe('2030-01-09');
    expect(nextOpenDay([{ ...closed, exceptions: [] }], '2030-01-06', addDays)).toBe('2030-01-06');
  });
});
