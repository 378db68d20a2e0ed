import type { BookingEvent, EventEnvelope, TokenPair, User } from '@slotcast/protocol';

export const USER_ID = '11111111-1111-4111-8111-111111111111';
const VENDOR_ID = '22222222-2222-4222-8222-222222222222';
const RESOURCE_ID = '33333333-3333-4333-8333-333333333333';
const SERVICE_ID = '44444444-4444-4444-8444-444444444444';
export const BOOKING_ID = '55555555-5555-4555-8555-555555555555';

export function user(id = USER_ID): User {
  return { id, email: 'alice@test.test', name: 'Alice', role: 'customer', vendorId: null, isOwner: false };
}

/** A token pair whose access token expires `inMs` from now (by `now`). */
export function tokenPair(n: number, inMs = 15 * 60_000, now = Date.now(), u: User = user()): TokenPair {
  return {
    accessToken: `access-${n}`,
    accessTokenExpiresAt: new Date(now + inMs).toISOString(),
    refreshToken: `refresh-token-${n}`,
    user: u,
  };
}

const b64url = (o: unknown) => btoa(JSON.stringify(o)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/**
 * A pair whose access token is shaped as the server's (a JWT with `iat` and `exp`, signature not checked by clients),
 * issued at `at` by the server's clock and living `lifeMs`: what TokenManager learns the server's time from.
 */
export function jwtPair(n: number, at: number, lifeMs = 15 * 60_000, u: User = user()): TokenPair {
  const iat = Math.floor(at / 1000);
  const claims = { sub: u.id, role: u.role, iat, exp: iat + lifeMs / 1000 };
  return { ...tokenPair(n, lifeMs, iat * 1000, u), accessToken: `${b64url({ alg: 'HS256' })}.${b64url(claims)}.c2ln` };
}

/** A valid booking event envelope with the given id. */
export function bookingEvent(id: number, type: BookingEvent['type'] = 'booking.confirmed'): EventEnvelope {
  const at = '2030-01-01T10:00:00.000Z';
  return {
    v: 1,
    id,
    type,
    occurredAt: at,
    data: {
      booking: {
        id: BOOKING_ID,
        vendorId: VENDOR_ID,
        resourceId: RESOURCE_ID,
        serviceId: SERVICE_ID,
        customerId: USER_ID,
        status: 'confirmed',
        startAt: at,
        endAt: '2030-01-01T11:00:00.000Z',
        timezone: 'UTC',
        version: id,
        note: null,
        priceMinor: 5000,
        currency: 'EUR',
        statusReason: null,
        updatedBy: { userId: USER_ID, role: 'customer' },
        createdAt: at,
        updatedAt: at,
      },
      previousStatus: 'requested',
      actor: { userId: USER_ID, role: 'customer' },
      reason: null,
    },
  };
}
