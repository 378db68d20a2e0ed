import type { BookingAction } from '@slotcast/protocol';
import {
  ACTION_FROM,
  aliceBooking,
  all,
  bookingReaders,
  type Ctx,
  hours,
  type MatrixCase,
  managers,
  notStartedYet,
  signedIn,
  staffChange,
  unique,
} from './context.js';

/** Vendors, their resources and services, bookings and their transitions, presence. */
export const BOOKING_ROUTES: Record<string, MatrixCase[]> = {
  'GET /api/v1/vendors': [{ request: async () => ({ path: '/vendors' }), expected: all(200) }],
  'POST /api/v1/vendors': [
    {
      request: async () => ({ path: '/vendors', body: { name: 'New vendor', slug: `v-${unique()}` } }),
      expected: { ...signedIn(403), admin: 201 },
    },
  ],
  'GET /api/v1/vendors/{id}': [
    { request: async ({ w }) => ({ path: `/vendors/${w.a.vendor.id}` }), expected: all(200) },
  ],
  'PATCH /api/v1/vendors/{id}': [
    {
      request: async ({ w }) => ({ path: `/vendors/${w.a.vendor.id}`, body: { name: w.a.vendor.name } }),
      expected: managers(200),
    },
  ],
  'POST /api/v1/vendors/{id}/staff': [
    {
      request: async ({ w }) => ({
        path: `/vendors/${w.a.vendor.id}/staff`,
        body: { email: `staff-${unique()}@test.test`, password: 'a-long-password', name: 'Staff' },
      }),
      expected: managers(201),
    },
  ],
  'GET /api/v1/vendors/{id}/resources': [
    { request: async ({ w }) => ({ path: `/vendors/${w.a.vendor.id}/resources` }), expected: all(200) },
  ],
  'POST /api/v1/vendors/{id}/resources': [
    {
      request: async ({ w }) => ({
        path: `/vendors/${w.a.vendor.id}/resources`,
        body: { name: 'Room X', timezone: 'Europe/Berlin', weeklyHours: hours },
      }),
      expected: managers(201),
    },
  ],
  'GET /api/v1/resources/{id}': [
    { request: async ({ w }) => ({ path: `/resources/${w.a.resource.id}` }), expected: all(200) },
  ],
  'PATCH /api/v1/resources/{id}/hours': [
    {
      // Unchanged hours: the other suites here rely on the resource being open around the clock.
      request: async ({ w }) => ({ path: `/resources/${w.a.resource.id}/hours`, body: { exceptions: [] } }),
      expected: managers(200),
    },
  ],
  'GET /api/v1/resources/{id}/availability': [
    {
      request: async ({ w }) => {
        const day = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
        return {
          path: `/resources/${w.a.resource.id}/availability?serviceId=${w.a.service.id}&from=${day}&to=${day}`,
        };
      },
      expected: all(200),
    },
  ],
  'GET /api/v1/vendors/{id}/services': [
    { request: async ({ w }) => ({ path: `/vendors/${w.a.vendor.id}/services` }), expected: all(200) },
  ],
  'POST /api/v1/vendors/{id}/services': [
    {
      request: async ({ w }) => ({
        path: `/vendors/${w.a.vendor.id}/services`,
        body: { name: 'Extra', durationMinutes: 30, priceMinor: 100, currency: 'EUR', resourceIds: [w.a.resource.id] },
      }),
      expected: managers(201),
    },
  ],
  'POST /api/v1/bookings': [
    {
      variant: 'for Alice',
      request: async (ctx) => ({
        path: '/bookings',
        body: {
          resourceId: ctx.w.a.resource.id,
          serviceId: ctx.w.a.service.id,
          startAt: ctx.nextSlot(),
          customerId: ctx.w.alice.user.id,
        },
      }),
      expected: {
        ...bookingReaders(201),
        "customer (other's booking)": 403,
        'staff of another vendor': 403,
        'owner of another vendor': 403,
      },
    },
  ],
  'GET /api/v1/bookings': [{ request: async () => ({ path: '/bookings' }), expected: signedIn(200) }],
  'GET /api/v1/bookings/{id}': [
    { request: async (ctx) => ({ path: `/bookings/${(await aliceBooking(ctx)).id}` }), expected: bookingReaders(200) },
  ],
  'GET /api/v1/bookings/{id}/events': [
    {
      request: async (ctx) => ({ path: `/bookings/${(await aliceBooking(ctx)).id}/events` }),
      expected: bookingReaders(200),
    },
  ],
  'POST /api/v1/bookings/{id}/reschedule': [
    {
      request: async (ctx) => {
        const b = await aliceBooking(ctx);
        return { path: `/bookings/${b.id}/reschedule`, body: { version: b.version, startAt: ctx.nextSlot() } };
      },
      expected: bookingReaders(200),
    },
  ],
  'POST /api/v1/bookings/{id}/{action}': (Object.keys(ACTION_FROM) as BookingAction[]).map((action) => ({
    variant: action,
    request: async (ctx: Ctx) => {
      const b = await aliceBooking(ctx, ACTION_FROM[action]);
      return { path: `/bookings/${b.id}/${action}`, body: { version: b.version } };
    },
    // The matrix's bookings are days ahead: a no-show passes access control and meets the rule that it is too early
    // (no-show.test.ts marks one from its start).
    expected: action === 'cancel' ? bookingReaders(200) : action === 'no-show' ? notStartedYet : staffChange,
  })),
  'GET /api/v1/admin/presence': [
    { request: async () => ({ path: '/admin/presence' }), expected: { ...signedIn(403), admin: 200 } },
  ],
};
