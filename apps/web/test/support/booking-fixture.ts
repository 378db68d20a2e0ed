import type { Booking } from '@slotcast/protocol';

/**
 * A requested booking at a Berlin salon (Tue 8 Jan 2030, 10:00–10:45 local), for component and store tests; each
 * test overrides what it is about.
 */
export function aBooking(overrides: Partial<Booking> = {}): Booking {
  return {
    id: '60000000-0000-4000-8000-000000000001',
    vendorId: '10000000-0000-4000-8000-000000000001',
    resourceId: '20000000-0000-4000-8000-000000000001',
    serviceId: '30000000-0000-4000-8000-000000000001',
    customerId: '40000000-0000-4000-8000-000000000001',
    status: 'requested',
    startAt: '2030-01-08T09:00:00.000Z',
    endAt: '2030-01-08T09:45:00.000Z',
    timezone: 'Europe/Berlin',
    version: 1,
    note: null,
    priceMinor: 3800,
    currency: 'EUR',
    statusReason: null,
    updatedBy: { userId: null, role: 'customer' },
    createdAt: '2030-01-01T08:00:00.000Z',
    updatedAt: '2030-01-01T08:00:00.000Z',
    ...overrides,
  };
}
