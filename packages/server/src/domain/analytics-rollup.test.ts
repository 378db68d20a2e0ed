import type { EventEnvelope } from '@slotcast/protocol';
import { describe, expect, it } from 'vitest';
import { rollupsOf } from './analytics-rollup.js';

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
});
