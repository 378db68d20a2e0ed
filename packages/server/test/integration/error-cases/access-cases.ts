import { randomUUID } from 'node:crypto';
import type { Booking, TokenPair } from '@slotcast/protocol';
import { expect } from 'vitest';
import { TokenSigner } from '../../../src/auth/tokens.js';
import { login } from '../../support/world.js';
import { aliceBooking, bookingBody, call, type ErrorCase, postBooking, transition } from './context.js';

/** Refusals of who asks: unknown things, missing or bad credentials, missing permissions. */
export const ACCESS_CASES: ErrorCase[] = [
  // --- not found ---
  {
    name: 'an unknown route',
    status: 404,
    code: 'NOT_FOUND',
    request: (ctx) => call(ctx.server, 'GET', '/nothing-here'),
  },
  {
    name: 'an unknown method on a known path',
    status: 404,
    code: 'NOT_FOUND',
    request: (ctx) => call(ctx.server, 'DELETE', '/bookings', { token: ctx.w.admin.token }),
  },
  {
    name: 'a booking that does not exist',
    status: 404,
    code: 'NOT_FOUND',
    request: (ctx) => call(ctx.server, 'GET', `/bookings/${randomUUID()}`, { token: ctx.w.admin.token }),
  },
  {
    name: 'a change to a booking that does not exist',
    status: 404,
    code: 'NOT_FOUND',
    request: (ctx) =>
      call(ctx.server, 'POST', `/bookings/${randomUUID()}/confirm`, { token: ctx.w.admin.token, body: { version: 1 } }),
  },
  {
    name: 'a booking of a resource that does not exist',
    status: 404,
    code: 'NOT_FOUND',
    request: (ctx) => postBooking(ctx, bookingBody(ctx, { resourceId: randomUUID() })),
  },
  {
    name: "a customer asking for another customer's booking",
    status: 404,
    code: 'NOT_FOUND',
    setup: (ctx) => aliceBooking(ctx),
    request: (ctx, b) => transition(ctx, b as Booking, 'cancel', ctx.w.bob.token),
  },
  // --- authentication ---
  {
    name: 'no access token',
    status: 401,
    code: 'AUTH_REQUIRED',
    request: (ctx) => call(ctx.server, 'POST', '/bookings', { body: bookingBody(ctx) }),
  },
  {
    name: 'an access token that is not a JWT',
    status: 401,
    code: 'AUTH_TOKEN_INVALID',
    request: (ctx) => postBooking(ctx, bookingBody(ctx), 'not.a.jwt'),
  },
  {
    name: 'an access token signed with another key',
    status: 401,
    code: 'AUTH_TOKEN_INVALID',
    setup: async (ctx) => {
      const forger = new TokenSigner('another-secret-another-secret-another-secret', 900);
      const u = ctx.w.admin.user;
      return (
        await forger.sign({ userId: u.id, role: 'admin', vendorId: null, isOwner: false, sessionId: randomUUID() })
      ).token;
    },
    request: (ctx, token) => postBooking(ctx, bookingBody(ctx), token as string),
  },
  {
    name: 'an Authorization header that is not Bearer',
    status: 401,
    code: 'AUTH_TOKEN_INVALID',
    request: (ctx) =>
      call(ctx.server, 'POST', '/bookings', {
        body: bookingBody(ctx),
        headers: { authorization: 'Basic YWxpY2U6eA==' },
      }),
  },
  {
    name: 'an expired access token',
    status: 401,
    code: 'AUTH_TOKEN_EXPIRED',
    setup: async (ctx) => {
      const { alice } = ctx.w;
      const claims = JSON.parse(Buffer.from(alice.token.split('.')[1]!, 'base64url').toString()) as { sid: string };
      const signed = await ctx.server.slotcast.signer.sign(
        { userId: alice.user.id, role: 'customer', vendorId: null, isOwner: false, sessionId: claims.sid },
        new Date(Date.now() - 2 * 3_600_000),
      );
      return signed.token;
    },
    request: (ctx, token) => postBooking(ctx, bookingBody(ctx), token as string),
  },
  {
    name: 'a wrong password',
    status: 401,
    code: 'AUTH_INVALID_CREDENTIALS',
    request: (ctx) =>
      call(ctx.server, 'POST', '/auth/login', { body: { email: 'alice@test.test', password: 'not-her-password' } }),
  },
  {
    name: 'a refresh token that was never issued',
    status: 401,
    code: 'AUTH_REFRESH_INVALID',
    request: (ctx) => call(ctx.server, 'POST', '/auth/refresh', { body: { refreshToken: 'never-issued-token' } }),
  },
  {
    name: 'a rotated refresh token used again',
    status: 401,
    code: 'AUTH_REFRESH_REUSED',
    setup: async (ctx) => {
      const { refreshToken } = await login(ctx.server, 'bob@test.test');
      const rotated = await call<TokenPair>(ctx.server, 'POST', '/auth/refresh', { body: { refreshToken } });
      expect(rotated.status).toBe(200);
      // Beyond the reuse grace period, so the repeat counts as theft rather than a retry.
      await ctx.server.slotcast.db.query(
        "UPDATE refresh_tokens SET used_at = used_at - interval '1 hour' WHERE used_at IS NOT NULL",
      );
      return refreshToken;
    },
    request: (ctx, refreshToken) => call(ctx.server, 'POST', '/auth/refresh', { body: { refreshToken } }),
    writes: { revokedSessions: 1 },
  },
  {
    name: 'an email that has an account',
    status: 409,
    code: 'AUTH_EMAIL_TAKEN',
    request: (ctx) =>
      call(ctx.server, 'POST', '/auth/register', {
        body: { email: 'Alice@Test.test', password: 'a-long-password', name: 'Alice again' },
      }),
  },
  {
    name: 'a verification or reset link nobody was sent',
    status: 400,
    code: 'AUTH_LINK_INVALID',
    request: (ctx) => call(ctx.server, 'POST', '/auth/verify-email', { body: { token: 'x'.repeat(43) } }),
  },
  {
    name: 'a new customer booking before verifying their email',
    status: 403,
    code: 'EMAIL_NOT_VERIFIED',
    setup: async (ctx) => {
      const res = await call<{ accessToken: string }>(ctx.server, 'POST', '/auth/register', {
        body: { email: `unverified-${Date.now()}@test.test`, password: 'a-long-password', name: 'Una' },
      });
      return res.body.accessToken;
    },
    request: (ctx, token) => postBooking(ctx, bookingBody(ctx), token as string),
  },
  {
    name: 'a sign-in from an address right after five failures there',
    status: 429,
    code: 'RATE_LIMITED',
    setup: async (ctx) => {
      const email = `limited-${randomUUID()}@test.test`;
      await call(ctx.server, 'POST', '/auth/register', { body: { email, password: 'a-long-password', name: 'L' } });
      for (let i = 0; i < 5; i++) {
        await call(ctx.server, 'POST', '/auth/login', { body: { email, password: 'wrong-password' } });
      }
      return email;
    },
    request: (ctx, email) =>
      call(ctx.server, 'POST', '/auth/login', { body: { email: email as string, password: 'a-long-password' } }),
  },
  // --- permissions ---
  {
    name: 'a customer booking for another customer',
    status: 403,
    code: 'FORBIDDEN',
    request: (ctx) => postBooking(ctx, bookingBody(ctx, { customerId: ctx.w.bob.user.id })),
  },
  {
    name: 'staff booking at another vendor',
    status: 403,
    code: 'FORBIDDEN',
    request: (ctx) => postBooking(ctx, bookingBody(ctx, { customerId: ctx.w.alice.user.id }), ctx.w.b.staff.token),
  },
  {
    name: 'a customer confirming their own booking',
    status: 403,
    code: 'FORBIDDEN',
    setup: (ctx) => aliceBooking(ctx),
    request: (ctx, b) => transition(ctx, b as Booking, 'confirm', ctx.w.alice.token),
  },
  {
    name: "a reschedule onto another vendor's resource",
    status: 403,
    code: 'FORBIDDEN',
    setup: (ctx) => aliceBooking(ctx),
    request: (ctx, b) =>
      call(ctx.server, 'POST', `/bookings/${(b as Booking).id}/reschedule`, {
        token: ctx.w.admin.token,
        body: { version: 1, startAt: ctx.nextSlot(), resourceId: ctx.w.b.resource.id },
      }),
  },
  {
    name: 'staff who are not an owner adding staff',
    status: 403,
    code: 'FORBIDDEN',
    request: (ctx) =>
      call(ctx.server, 'POST', `/vendors/${ctx.w.a.vendor.id}/staff`, {
        token: ctx.w.a.staff.token,
        body: { email: `s-${randomUUID()}@test.test`, password: 'a-long-password', name: 'S' },
      }),
  },
];
