import { describe, expect, it } from 'vitest';
import { expectedDeliveries, planEvents, seededRandom } from './fan-out-plan.js';
import type { Identity, Population } from './population.js';

const id = (n: number, role: Identity['role'], vendorId: string | null = null): Identity => ({
  userId: `u${n}`,
  role,
  vendorId,
  sessionId: `s${n}`,
  token: `t${n}`,
});

const population: Population = {
  vendors: [
    { id: 'v1', serviceId: 's1', resourceIds: ['r1', 'r2'], staff: [id(1, 'staff', 'v1'), id(2, 'staff', 'v1')] },
    { id: 'v2', serviceId: 's2', resourceIds: ['r3'], staff: [id(3, 'staff', 'v2')] },
  ],
  customers: [id(4, 'customer'), id(5, 'customer'), id(6, 'customer')],
};

describe('fan-out plan', () => {
  it('is the same for the same seed, so both servers get the same rooms', () => {
    expect(planEvents(population, 50, 1)).toEqual(planEvents(population, 50, 1));
    expect(planEvents(population, 50, 1)).not.toEqual(planEvents(population, 50, 2));
  });

  it('only names vendors, resources and customers that exist, and cycles through a booking’s steps', () => {
    const plan = planEvents(population, 300);
    for (const e of plan) {
      expect(population.vendors[e.vendor]!.resourceIds[e.resource]).toBeDefined();
      expect(population.customers[e.customer]).toBeDefined();
    }
    expect(plan.slice(0, 3).map((e) => e.type)).toEqual([
      'booking.requested',
      'booking.confirmed',
      'booking.cancelled',
    ]);
    expect(new Set(plan.map((e) => e.vendor))).toEqual(new Set([0, 1]));
  });

  it('expects one delivery to the customer plus one per staff member of the vendor', () => {
    const plan = [
      { vendor: 0, customer: 0, resource: 0, type: 'booking.requested' as const },
      { vendor: 1, customer: 2, resource: 0, type: 'booking.confirmed' as const },
    ];
    expect(expectedDeliveries(population, plan)).toBe(3 + 2);
  });

  it('draws numbers in [0, 1)', () => {
    const rnd = seededRandom(42);
    const xs = Array.from({ length: 1000 }, rnd);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
  });
});
