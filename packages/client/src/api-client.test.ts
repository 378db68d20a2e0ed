import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BOOKING_ID, bookingEvent, tokenPair } from '../test/support/fixtures.js';
import { type HttpTestServer, hangUp, json, startHttpServer } from '../test/support/http-server.js';
import { ApiClient } from './api-client.js';
import type { Clock } from './clock.js';
import { SlotcastApiError, SlotcastNetworkError, SlotcastProtocolError } from './errors.js';

const booking = (bookingEvent(1).data as { booking: Record<string, unknown> }).booking;
const problem = (code: string, status: number, extra: Record<string, unknown> = {}) => ({
  type: `https://slotcast.dev/problems/${code}`,
  title: code,
  status,
  code,
  ...extra,
});

/** Real timers, but sleeps are recorded and shortened to 1 ms. */
function recordingClock() {
  const sleeps: number[] = [];
  const clock: Clock = {
    now: () => Date.now(),
    setTimeout: (fn, ms) => {
      sleeps.push(ms);
      return setTimeout(fn, 1);
    },
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  };
  return { clock, sleeps };
}

describe('ApiClient', () => {
  let server: HttpTestServer;
  let api: ApiClient;
  let sleeps: number[];

  beforeEach(async () => {
    server = await startHttpServer();
    const rc = recordingClock();
    sleeps = rc.sleeps;
    api = new ApiClient({ baseUrl: server.url, clock: rc.clock, tokenOptions: { autoRefresh: false } });
    await api.tokens.setSession(tokenPair(1));
    sleeps.length = 0;
  });
  afterEach(async () => {
    api.tokens.dispose();
    await server.close();
  });

  it('sends one Idempotency-Key per logical action and reuses it on retries after 503 and a lost answer', async () => {
    server.queue.push(
      (_r, res) => json(res, 503, problem('SERVICE_UNAVAILABLE', 503), { 'retry-after': '2' }),
      hangUp,
      (_r, res) => json(res, 201, booking),
    );
    const created = await api.bookings.create({
      resourceId: BOOKING_ID,
      serviceId: BOOKING_ID,
      startAt: booking.startAt as string,
    });
    expect(created.id).toBe(BOOKING_ID);
    const keys = server.requests.map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[\x21-\x7e]{8,200}$/);
    expect(server.requests[0]!.headers.authorization).toBe('Bearer access-1');
    // Retry-After: 2 was honoured; the network error backed off with jitter (≤ 300 ms ceiling for the 2nd retry: 600).
    expect(sleeps[0]).toBe(2000);
    expect(sleeps[1]).toBeLessThan(600);

    server.queue.push((_r, res) => json(res, 201, booking));
    await api.bookings.create({ resourceId: BOOKING_ID, serviceId: BOOKING_ID, startAt: booking.startAt as string });
    expect(server.requests[3]!.headers['idempotency-key']).not.toBe(keys[0]);
  });

  it('lets the caller reuse a key for the same action across its own retries', async () => {
    server.queue.push((_r, res) => json(res, 200, booking));
    await api.bookings.transition(BOOKING_ID, 'confirm', { version: 1 }, { idempotencyKey: 'user-retry-0001' });
    expect(server.requests[0]).toMatchObject({
      method: 'POST',
      url: `/api/v1/bookings/${BOOKING_ID}/confirm`,
      body: { version: 1 },
    });
    expect(server.requests[0]!.headers['idempotency-key']).toBe('user-retry-0001');
  });

  it('does not retry a lost connection while the device says it is offline, so callers fall back at once', async () => {
    server.fallback = hangUp;
    const online = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
    Object.defineProperty(globalThis, 'navigator', { value: { onLine: false }, configurable: true });
    try {
      await expect(api.bookings.get(BOOKING_ID)).rejects.toBeInstanceOf(SlotcastNetworkError);
      expect(server.requests).toHaveLength(1);
      expect(sleeps).toEqual([]);
    } finally {
      if (online) Object.defineProperty(globalThis, 'navigator', online);
      else delete (globalThis as { navigator?: unknown }).navigator;
    }
    // Online (or not known to be offline), the same failure is retried.
    await expect(api.bookings.get(BOOKING_ID)).rejects.toBeInstanceOf(SlotcastNetworkError);
    expect(server.requests).toHaveLength(1 + 4);
  });

  it('gives up after a bounded number of retries with the last problem', async () => {
    server.fallback = (_r, res) => json(res, 503, problem('SERVICE_UNAVAILABLE', 503));
    const err = await api.bookings.get(BOOKING_ID).catch((e) => e);
    expect(err).toBeInstanceOf(SlotcastApiError);
    expect(err).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
    expect(server.requests).toHaveLength(4);
  });

  it('does not wait out a Retry-After beyond the limit: throws with retryAfterMs', async () => {
    server.queue.push((_r, res) =>
      json(res, 429, problem('RATE_LIMITED', 429, { retryAfterMs: 900_000 }), { 'retry-after': '900' }),
    );
    const err = (await api.auth.login({ email: 'a@b.co', password: 'x' }).catch((e) => e)) as SlotcastApiError;
    expect(err.code).toBe('RATE_LIMITED');
    expect(err.retryAfterMs).toBe(900_000);
    expect(server.requests).toHaveLength(1);
  });

  it('does not re-send a write the server does not deduplicate after a lost answer', async () => {
    server.queue.push(hangUp);
    const err = await api.vendors.create({ name: 'V', slug: 'v-1' }).catch((e) => e);
    expect(err).toBeInstanceOf(SlotcastNetworkError);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers['idempotency-key']).toBeDefined();
  });

  it('refreshes once on 401 AUTH_TOKEN_EXPIRED and repeats the request with the new token', async () => {
    server.queue.push(
      (_r, res) => json(res, 401, problem('AUTH_TOKEN_EXPIRED', 401)),
      (_r, res) => json(res, 200, tokenPair(2)),
      (_r, res) => json(res, 200, booking),
    );
    const got = await api.bookings.get(BOOKING_ID);
    expect(got.version).toBe(1);
    expect(server.requests.map((r) => `${r.method} ${r.url} ${r.headers.authorization ?? ''}`.trim())).toEqual([
      `GET /api/v1/bookings/${BOOKING_ID} Bearer access-1`,
      'POST /api/v1/auth/refresh',
      `GET /api/v1/bookings/${BOOKING_ID} Bearer access-2`,
    ]);
    expect(server.requests[1]!.body).toEqual({ refreshToken: 'refresh-token-1' });
  });

  it('signs out on 401 AUTH_TOKEN_INVALID (a revoked session)', async () => {
    let signedOut = '';
    api.tokens.on('signedOut', (e) => {
      signedOut = e.reason;
    });
    server.queue.push((_r, res) => json(res, 401, problem('AUTH_TOKEN_INVALID', 401)));
    await expect(api.auth.me()).rejects.toMatchObject({ code: 'AUTH_TOKEN_INVALID' });
    expect(signedOut).toBe('token-invalid');
    expect(api.tokens.session).toBeNull();
  });

  it('carries the problem: current on BOOKING_VERSION_CONFLICT, nextFreeSlots and conflict on BOOKING_SLOT_TAKEN', async () => {
    const slot = {
      startAt: '2030-01-01T11:00:00Z',
      endAt: '2030-01-01T12:00:00Z',
      localStart: '11:00',
      localEnd: '12:00',
    };
    server.queue.push(
      (_r, res) =>
        json(
          res,
          409,
          problem('BOOKING_VERSION_CONFLICT', 409, { detail: 'at version 3', current: { ...booking, version: 3 } }),
        ),
      (_r, res) =>
        json(
          res,
          409,
          problem('BOOKING_SLOT_TAKEN', 409, {
            conflict: { startAt: booking.startAt, endAt: booking.endAt },
            nextFreeSlots: [slot],
          }),
        ),
      (_r, res) =>
        json(res, 400, problem('VALIDATION_FAILED', 400, { errors: [{ path: 'body.startAt', message: 'required' }] })),
    );
    const conflict = (await api.bookings
      .reschedule(BOOKING_ID, { version: 1, startAt: '2030-01-01T11:00:00Z' })
      .catch((e) => e)) as SlotcastApiError;
    expect(conflict.code).toBe('BOOKING_VERSION_CONFLICT');
    expect(conflict.status).toBe(409);
    expect(conflict.detail).toBe('at version 3');
    expect(conflict.current?.version).toBe(3);
    const taken = (await api.bookings
      .create({ resourceId: BOOKING_ID, serviceId: BOOKING_ID, startAt: slot.startAt })
      .catch((e) => e)) as SlotcastApiError;
    expect(taken.is('BOOKING_SLOT_TAKEN')).toBe(true);
    expect(taken.nextFreeSlots).toEqual([slot]);
    expect(taken.conflict).toEqual({ startAt: booking.startAt, endAt: booking.endAt });
    const invalid = (await api.bookings.get(BOOKING_ID).catch((e) => e)) as SlotcastApiError;
    expect(invalid.errors).toEqual([{ path: 'body.startAt', message: 'required' }]);
  });

  it('turns a non-problem error page (a proxy) into a coded error by its status, without retrying a 502', async () => {
    server.queue.push((_r, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<h1>Bad gateway</h1>');
    });
    await expect(api.vendors.list()).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 502 });
    server.queue.push((_r, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<h1>nope</h1>');
    });
    await expect(api.vendors.get(BOOKING_ID)).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
    expect(server.requests).toHaveLength(2);
  });

  it('rejects a response that does not match the protocol', async () => {
    server.queue.push((_r, res) => json(res, 200, { ...booking, status: 'teleported' }));
    const err = await api.bookings.get(BOOKING_ID).catch((e) => e);
    expect(err).toBeInstanceOf(SlotcastProtocolError);
    expect(err.issues[0].path).toEqual(['status']);
  });

  it('lists bookings with filters and walks the cursor', async () => {
    server.queue.push(
      (_r, res) => json(res, 200, { items: [booking], nextCursor: 'c2' }),
      (_r, res) => json(res, 200, { items: [{ ...booking, version: 2 }], nextCursor: null }),
    );
    const versions: number[] = [];
    for await (const b of api.bookings.iterate({
      status: ['requested', 'confirmed'],
      resourceId: BOOKING_ID,
      limit: 1,
    })) {
      versions.push(b.version);
    }
    expect(versions).toEqual([1, 2]);
    const urls = server.requests.map((r) => new URL(r.url, server.url));
    expect(urls[0]!.pathname).toBe('/api/v1/bookings');
    expect(Object.fromEntries(urls[0]!.searchParams)).toEqual({
      status: 'requested,confirmed',
      resourceId: BOOKING_ID,
      limit: '1',
    });
    expect(urls[1]!.searchParams.get('cursor')).toBe('c2');
  });

  it('signs in, stores the pair, and signs out locally even when the server is unreachable', async () => {
    await api.tokens.signOut('logout');
    server.queue.push((_r, res) => json(res, 200, tokenPair(5)));
    await api.auth.login({ email: 'Alice@Test.test', password: 'correct-horse' });
    expect(api.tokens.session?.accessToken).toBe('access-5');
    expect(server.requests[0]!.body).toEqual({ email: 'Alice@Test.test', password: 'correct-horse' });
    server.queue.push(hangUp);
    await expect(api.auth.logout()).rejects.toBeInstanceOf(SlotcastNetworkError);
    expect(api.tokens.session).toBeNull();
    await expect(api.auth.me()).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
    expect(server.requests).toHaveLength(2);
  });

  it('lists notifications with filters and re-sends an idempotent mark-read after a lost answer', async () => {
    const n = {
      id: BOOKING_ID,
      bookingId: null,
      sourceEventId: 3,
      category: 'confirmation',
      priority: 1,
      title: 'Confirmed',
      body: 'See you',
      createdAt: '2030-01-01T00:00:00.000Z',
      readAt: null,
    };
    server.queue.push(
      (_r, res) => json(res, 200, { items: [n], nextCursor: null, unreadCount: 1 }),
      hangUp,
      (_r, res) => json(res, 200, { ...n, readAt: '2030-01-01T00:01:00.000Z' }),
    );
    const page = await api.notifications.list({ unreadOnly: true, category: ['confirmation', 'change'] });
    expect(page.unreadCount).toBe(1);
    expect(new URL(server.requests[0]!.url, server.url).search).toBe('?unreadOnly=true&category=confirmation%2Cchange');
    const read = await api.notifications.markRead(BOOKING_ID);
    expect(read.readAt).not.toBeNull();
    expect(server.requests.slice(1).map((r) => r.url)).toEqual([
      `/api/v1/notifications/${BOOKING_ID}/read`,
      `/api/v1/notifications/${BOOKING_ID}/read`,
    ]);
  });
});
