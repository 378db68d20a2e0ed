import { describe, expect, it } from 'vitest';
import { firstSlotMs, HourPlan } from './hour-plan.js';

const resources = ['r1', 'r2', 'r3'].map((id) => ({ resourceId: id, vendorId: 'v', serviceId: 's' }));

describe('HourPlan', () => {
  it('never hands out the same hour of a resource twice, across workers', () => {
    const taken = new Set<string>();
    for (let w = 0; w < 4; w++) {
      const plan = new HourPlan(resources, 0, w, 4);
      for (let i = 0; i < 300; i++) {
        const b = plan.take();
        const key = `${b.resourceId}@${b.startAt.getTime()}`;
        expect(taken.has(key)).toBe(false);
        taken.add(key);
      }
    }
    expect(taken.size).toBe(1200);
  });

  it('spreads consecutive bookings over the resources, on whole hours from the first slot', () => {
    const plan = new HourPlan(resources, 1000, 1, 2);
    const a = [plan.take(), plan.take(), plan.take(), plan.take()];
    expect(a.map((b) => b.resourceId)).toEqual(['r1', 'r2', 'r3', 'r1']);
    expect(a.map((b) => b.startAt.getTime())).toEqual([
      1000 + 3_600_000,
      1000 + 3_600_000,
      1000 + 3_600_000,
      1000 + 3 * 3_600_000,
    ]);
  });

  it('gives a resource its next free hour on request, never one handed out before', () => {
    const plan = new HourPlan(resources, 0, 0, 1);
    const first = plan.take(); // r1 hour 0
    plan.take(); // r2 hour 0
    const moved = plan.takeOn('r1');
    expect(moved.resourceId).toBe('r1');
    expect(moved.startAt.getTime()).toBe(first.startAt.getTime() + 3_600_000);
    plan.take(); // r3 hour 0
    expect(plan.take().startAt.getTime()).toBe(2 * 3_600_000); // r1 again: hour 2
    expect(() => plan.takeOn('nope')).toThrow();
  });

  it('refuses an empty plan or a worker outside the range', () => {
    expect(() => new HourPlan([], 0, 0, 1)).toThrow();
    expect(() => new HourPlan(resources, 0, 2, 2)).toThrow(RangeError);
  });

  it('starts at midnight UTC two days ahead', () => {
    expect(new Date(firstSlotMs(Date.parse('2026-11-25T13:45:00Z'))).toISOString()).toBe('2026-11-27T00:00:00.000Z');
  });
});
