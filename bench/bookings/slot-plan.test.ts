import { describe, expect, it } from 'vitest';
import { firstSlotStart, SLOT_MINUTES, SlotPlan } from './slot-plan.js';

describe('SlotPlan', () => {
  it('never hands out two overlapping slots on one resource', () => {
    const plan = new SlotPlan(['r1', 'r2', 'r3'], new Date('2030-01-01T00:00:00Z'));
    const byResource = new Map<string, number[]>();
    for (let i = 0; i < 500; i++) {
      const s = plan.take();
      const starts = byResource.get(s.resourceId) ?? [];
      starts.push(s.startAt.getTime());
      byResource.set(s.resourceId, starts);
    }
    for (const starts of byResource.values()) {
      for (let i = 1; i < starts.length; i++) {
        expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(SLOT_MINUTES * 60_000);
      }
    }
    expect(plan.taken).toBe(500);
  });

  it('spreads consecutive bookings over the resources before moving to the next slot', () => {
    const plan = new SlotPlan(['r1', 'r2'], new Date('2030-01-01T00:00:00Z'));
    const taken = Array.from({ length: 4 }, () => plan.take());
    expect(taken.map((s) => [s.resourceId, s.startAt.toISOString()])).toEqual([
      ['r1', '2030-01-01T00:00:00.000Z'],
      ['r2', '2030-01-01T00:00:00.000Z'],
      ['r1', '2030-01-01T00:30:00.000Z'],
      ['r2', '2030-01-01T00:30:00.000Z'],
    ]);
  });
});

describe('firstSlotStart', () => {
  it('is midnight UTC two days after the day of `now`', () => {
    expect(firstSlotStart(new Date('2030-05-10T23:59:00Z')).toISOString()).toBe('2030-05-12T00:00:00.000Z');
    expect(firstSlotStart(new Date('2030-05-10T00:00:00Z')).toISOString()).toBe('2030-05-12T00:00:00.000Z');
  });
});
