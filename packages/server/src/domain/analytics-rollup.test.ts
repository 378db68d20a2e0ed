import type { EventEnvelope } from '@slotcast/protocol';
import { describe, expect, it } from 'vitest';
import { LEAD_BUCKETS, leadBucketOf, rollupsOf } from './analytics-rollup.js';

const V = '00000000-0000-4000-8000-00000000000a';
const R = '00000000-0000-4000-8000-00000000000b';
const event = (
  id: number,
  type: string,
  previousStatus: string | null,
  at = '2026-03-30T10:10:00Z',
): EventEnvelope => ({
  v: 1 as never,
  id,
  type,
  occurredAt: at,
  data: {
    booking: { vendorId: V, resourceId: R, startAt: '2026-04-02T08:00:00Z', createdAt: '2026-03-30T10:00:00Z' },
    previousStatus,
  },
});

describe('what each booking event adds to the rollups', () => {
  it.each([
    ['booking.requested', null, [['made', '2026-03-30T10:10:00Z']]],
    ['booking.confirmed', null, [['made', '2026-03-30T10:10:00Z']]],
    ['booking.confirmed', 'requested', [['confirmed', '2026-03-30T10:10:00Z']]],
    ['booking.confirmed', 'confirmed', []],
    ['booking.completed', 'checked_in', [['held', '2026-04-02T08:00:00Z']]],
    ['booking.no_show', 'confirmed', [['no_show', '2026-04-02T08:00:00Z']]],
    ['booking.cancelled', 'confirmed', [['cancelled', '2026-03-30T10:10:00Z']]],
    ['booking.rescheduled', 'confirmed', []],
    ['booking.checked_in', 'confirmed', []],
    ['notification.created', null, []],
  ])('%s after %s counts %j', (type, previous, expected) => {
    const { counts } = rollupsOf([event(1, type, previous)]);
    expect(counts.map((c) => [c.metric, c.at])).toEqual(expected);
  });

  it('records the seconds from request to confirmation, once per confirming event', () => {
    const { confirmTimes } = rollupsOf([
      event(7, 'booking.confirmed', 'requested'),
      event(8, 'booking.cancelled', 'x'),
    ]);
    expect(confirmTimes).toEqual([
      { eventId: 7, vendorId: V, resourceId: R, at: '2026-03-30T10:10:00Z', seconds: 600 },
    ]);
  });

  it('records the lead time of a booking made, from when it was made to its start, and none for later events', () => {
    const { leadTimes } = rollupsOf([event(9, 'booking.requested', null), event(10, 'booking.cancelled', 'requested')]);
    // 2026-03-30T10:10Z → 2026-04-02T08:00Z: 2 days 21 h 50 min.
    expect(leadTimes).toEqual([
      { vendorId: V, resourceId: R, at: '2026-03-30T10:10:00Z', bucket: 2, seconds: 251_400 },
    ]);
    // A booking recorded after its start has no lead.
    expect(rollupsOf([event(11, 'booking.confirmed', null, '2026-04-03T00:00:00Z')]).leadTimes[0]).toMatchObject({
      bucket: 0,
      seconds: 0,
    });
  });

  it.each([
    [0, 0],
    [3599, 0],
    [3600, 1],
    [86_399, 1],
    [86_400, 2],
    [7 * 86_400, 4],
    [30 * 86_400 - 1, 4],
    [30 * 86_400, 5],
  ])('puts a lead of %i s in bucket %i', (seconds, bucket) => {
    expect(leadBucketOf(seconds)).toBe(bucket);
    expect(LEAD_BUCKETS[bucket]).toBeDefined();
  });
});
