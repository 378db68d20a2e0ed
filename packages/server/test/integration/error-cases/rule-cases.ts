import { randomUUID } from 'node:crypto';
import type { Booking } from '@slotcast/protocol';
import { expect } from 'vitest';
import { aliceBooking, bookingBody, call, type ErrorCase, postBooking, soonBooking, transition } from './context.js';

/** Refusals by the booking rules and the idempotency contract. */
export const RULE_CASES: ErrorCase[] = [
  // --- booking rules ---
  {
    name: 'an overlapping booking',
    status: 409,
    code: 'BOOKING_SLOT_TAKEN',
    setup: async (ctx) => (await aliceBooking(ctx)).startAt,
    request: (ctx, startAt) => postBooking(ctx, bookingBody(ctx, { startAt }), ctx.w.bob.token),
  },
  {
    name: 'a change with a stale version',
    status: 409,
    code: 'BOOKING_VERSION_CONFLICT',
    setup: (ctx) => aliceBooking(ctx),
    request: (ctx, b) => transition(ctx, b as Booking, 'confirm', ctx.w.a.staff.token, { version: 2 }),
  },
  {
    name: 'checking in a booking nobody confirmed',
    status: 409,
    code: 'BOOKING_TRANSITION_NOT_ALLOWED',
    setup: (ctx) => aliceBooking(ctx),
    request: (ctx, b) => transition(ctx, b as Booking, 'check-in', ctx.w.a.staff.token),
  },
  {
    name: 'a no-show marked before the booking starts',
    status: 409,
    code: 'BOOKING_NOT_STARTED',
    setup: async (ctx) => {
      const b = await aliceBooking(ctx);
      const confirmed = await transition(ctx, b, 'confirm', ctx.w.a.staff.token);
      expect(confirmed.status).toBe(200);
      return confirmed.body as unknown as Booking;
    },
    request: (ctx, b) => transition(ctx, b as Booking, 'no-show', ctx.w.a.staff.token),
  },
  {
    name: 'a customer cancelling after the cut-off',
    status: 409,
    code: 'BOOKING_CANCELLATION_WINDOW_CLOSED',
    setup: (ctx) => soonBooking(ctx, 0),
    request: (ctx, b) => transition(ctx, b as Booking, 'cancel', ctx.w.alice.token),
  },
  {
    name: 'a customer rescheduling after the cut-off',
    status: 409,
    code: 'BOOKING_CANCELLATION_WINDOW_CLOSED',
    // On the second resource: the case before holds soonSlot() on the first.
    setup: (ctx) => soonBooking(ctx, 1),
    request: (ctx, b) =>
      call(ctx.server, 'POST', `/bookings/${(b as Booking).id}/reschedule`, {
        token: ctx.w.alice.token,
        body: { version: 1, startAt: ctx.nextSlot() },
      }),
  },
  // --- idempotency ---
  {
    name: 'an Idempotency-Key that is too short',
    status: 400,
    code: 'IDEMPOTENCY_KEY_INVALID',
    request: (ctx) =>
      call(ctx.server, 'POST', '/bookings', {
        token: ctx.w.alice.token,
        body: bookingBody(ctx),
        headers: { 'idempotency-key': 'short' },
      }),
  },
  {
    name: 'an Idempotency-Key reused with another body',
    status: 422,
    code: 'IDEMPOTENCY_KEY_REUSED',
    setup: async (ctx) => {
      const key = `reuse-${randomUUID()}`;
      const first = await call(ctx.server, 'POST', '/bookings', {
        token: ctx.w.alice.token,
        body: bookingBody(ctx),
        headers: { 'idempotency-key': key },
      });
      expect(first.status).toBe(201);
      return key;
    },
    request: (ctx, key) =>
      call(ctx.server, 'POST', '/bookings', {
        token: ctx.w.alice.token,
        body: bookingBody(ctx),
        headers: { 'idempotency-key': key as string },
      }),
  },
];
