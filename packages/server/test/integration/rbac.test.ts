import { randomUUID } from 'node:crypto';
import type { Booking, BookingAction, ErrorCode, Problem } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MailOpenMarks } from '../../src/mail/open-marks.js';
import { UnsubscribeTokens } from '../../src/mail/unsubscribe-tokens.js';
import { ActionTokens } from '../../src/push/action-tokens.js';
import { DB_KINDS } from '../support/databases.js';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../support/server.js';
import { slotAllocator } from '../support/slots.js';
import { api, buildWorld, login, type Party, type World } from '../support/world.js';

/** Who calls. The booking-scoped columns act on a booking of Alice's at vendor A; "the vendor" is vendor A. */
const WHO = [
  'anonymous',
  'customer (own booking)',
  "customer (other's booking)",
  'staff of the vendor',
  'staff of another vendor',
  'owner',
  'owner of another vendor',
  'admin',
] as const;
type Who = (typeof WHO)[number];
type Expected = Record<Who, number>;

interface Ctx {
  server: TestServer;
  w: World;
  nextSlot: () => string;
}

interface Cell {
  path: string;
  body?: unknown;
}

interface MatrixCase {
  /** Tells variants of one route apart (the transition endpoint has one per action). */
  variant?: string;
  /** Builds the request for one caller; may create what it needs (a fresh booking per cell). */
  request: (ctx: Ctx, who: Who) => Promise<Cell>;
  expected: Expected;
}

const all = (status: number): Expected => Object.fromEntries(WHO.map((w) => [w, status])) as Expected;
const signedIn = (status: number): Expected => ({ ...all(status), anonymous: 401 });
/** Vendor management: the vendor's owner and admins. */
const managers = (status: number): Expected => ({ ...signedIn(403), owner: status, admin: status });
/** Reading or changing one of Alice's bookings at vendor A. */
const bookingReaders = (status: number): Expected => ({
  anonymous: 401,
  'customer (own booking)': status,
  "customer (other's booking)": 404,
  'staff of the vendor': status,
  'staff of another vendor': 404,
  owner: status,
  'owner of another vendor': 404,
  admin: status,
});
/** Staff-only changes of one of Alice's bookings: Alice may see it (403), others may not (404). */
const staffChange: Expected = { ...bookingReaders(200), 'customer (own booking)': 403 };

const party = (w: World, who: Who): Party | null =>
  ({
    anonymous: null,
    'customer (own booking)': w.alice,
    "customer (other's booking)": w.bob,
    'staff of the vendor': w.a.staff,
    'staff of another vendor': w.b.staff,
    owner: w.a.owner,
    'owner of another vendor': w.b.owner,
    admin: w.admin,
  })[who];

const unique = () => randomUUID().slice(0, 8);

const aliceUnsubscribeToken = (w: World) =>
  new UnsubscribeTokens(TEST_JWT_SECRET).sign({ userId: w.alice.user.id, category: 'expiry' });

/** A booking of Alice's at vendor A, brought into `status` by an admin. */
async function aliceBooking(ctx: Ctx, status: 'requested' | 'confirmed' | 'checked_in' = 'requested') {
  const { server, w } = ctx;
  const created = await api<Booking>(server, 'POST', '/bookings', {
    token: w.admin.token,
    body: {
      resourceId: w.a.resource.id,
      serviceId: w.a.service.id,
      startAt: ctx.nextSlot(),
      customerId: w.alice.user.id,
    },
  });
  expect(created.status).toBe(201);
  let b = created.body;
  const steps = { requested: [], confirmed: ['confirm'], checked_in: ['confirm', 'check-in'] }[status];
  for (const step of steps) {
    const res = await api<Booking>(server, 'POST', `/bookings/${b.id}/${step}`, {
      token: w.admin.token,
      body: { version: b.version },
    });
    expect(res.status).toBe(200);
    b = res.body;
  }
  return b;
}

/** One of Alice's notifications (made asynchronously from her confirmed booking), shared by the cells. */
let aliceNotificationId: Promise<string> | null = null;
function aliceNotification(ctx: Ctx): Promise<string> {
  aliceNotificationId ??= (async () => {
    await aliceBooking(ctx, 'confirmed');
    return vi.waitFor(
      async () => {
        const page = await api<{ items: { id: string }[] }>(ctx.server, 'GET', '/notifications', {
          token: ctx.w.alice.token,
        });
        const first = page.body.items[0];
        if (!first) throw new Error('Alice got no notification');
        return first.id;
      },
      { timeout: 10_000, interval: 50 },
    );
  })();
  return aliceNotificationId;
}

const hours = { mon: [{ start: '09:00', end: '17:00' }] };

const ACTION_FROM: Record<BookingAction, 'requested' | 'confirmed' | 'checked_in'> = {
  confirm: 'requested',
  decline: 'requested',
  cancel: 'requested',
  'check-in': 'confirmed',
  'no-show': 'confirmed',
  complete: 'checked_in',
};

/** Alice's registered push device, shared by the cells (only she may remove it). */
let aliceDeviceId: Promise<string> | null = null;
const aliceDevice = (ctx: Ctx) =>
  (aliceDeviceId ??= api<{ id: string }>(ctx.server, 'POST', '/push/subscriptions', {
    token: ctx.w.alice.token,
    body: {
      provider: 'webpush',
      endpoint: `https://fcm.googleapis.com/fcm/send/${unique()}`,
      keys: { p256dh: 'BAAA', auth: 'AAAA' },
    },
  }).then((r) => r.body.id));

/** A push action token for cancelling one of Alice's requests: the token, not the caller, is the authorisation. */
let aliceActionToken: Promise<string> | null = null;
const aliceCancelToken = (ctx: Ctx) =>
  (aliceActionToken ??= aliceBooking(ctx).then((b) =>
    new ActionTokens(TEST_JWT_SECRET, 600).sign({
      userId: ctx.w.alice.user.id,
      bookingId: b.id,
      action: 'cancel',
      version: b.version,
    }),
  ));

/** Every route of the API (as OpenAPI names it) × every kind of caller → the status they get. */
const MATRIX: Record<string, MatrixCase[]> = {
  'POST /api/v1/auth/register': [
    {
      request: async () => ({
        path: '/auth/register',
        body: { email: `new-${unique()}@test.test`, password: 'a-long-password', name: 'New' },
      }),
      expected: all(201),
    },
  ],
  'POST /api/v1/auth/register-vendor': [
    {
      request: async () => {
        const id = unique();
        return {
          path: '/auth/register-vendor',
          body: {
            email: `owner-${id}@test.test`,
            password: 'a-long-password',
            name: 'Owner',
            vendor: { name: 'New shop', slug: `shop-${id}` },
          },
        };
      },
      expected: all(201),
    },
  ],
  'POST /api/v1/auth/login': [
    {
      request: async () => ({
        path: '/auth/login',
        body: { email: 'alice@test.test', password: 'correct-horse-battery' },
      }),
      expected: all(200),
    },
  ],
  'POST /api/v1/auth/refresh': [
    {
      request: async ({ server }) => ({
        path: '/auth/refresh',
        body: { refreshToken: (await login(server, 'alice@test.test')).refreshToken },
      }),
      expected: all(200),
    },
  ],
  'POST /api/v1/auth/logout': [
    {
      // A session of its own: logging out the world's sessions would sign the other callers out.
      request: async ({ server }) => ({
        path: '/auth/logout',
        body: { refreshToken: (await login(server, 'alice@test.test')).refreshToken },
      }),
      expected: all(204),
    },
  ],
  'GET /api/v1/me': [{ request: async () => ({ path: '/me' }), expected: signedIn(200) }],
  'GET /api/v1/me/profile': [{ request: async () => ({ path: '/me/profile' }), expected: signedIn(200) }],
  'PATCH /api/v1/me/profile': [
    { request: async () => ({ path: '/me/profile', body: { shareEmail: false } }), expected: signedIn(200) },
  ],
  'GET /api/v1/me/account': [{ request: async () => ({ path: '/me/account' }), expected: signedIn(200) }],
  // World accounts are verified: nothing to send, and the same answer for everyone signed in.
  'POST /api/v1/auth/verify-email/resend': [
    { request: async () => ({ path: '/auth/verify-email/resend' }), expected: signedIn(202) },
  ],
  // Public; a token nobody was sent is refused the same for every caller.
  'POST /api/v1/auth/verify-email': [
    { request: async () => ({ path: '/auth/verify-email', body: { token: 'x'.repeat(43) } }), expected: all(400) },
  ],
  'POST /api/v1/auth/password-reset': [
    {
      request: async () => ({ path: '/auth/password-reset', body: { email: 'nobody@test.test' } }),
      expected: all(202),
    },
  ],
  'POST /api/v1/auth/password-reset/confirm': [
    {
      request: async () => ({
        path: '/auth/password-reset/confirm',
        body: { token: 'x'.repeat(43), password: 'a-long-password' },
      }),
      expected: all(400),
    },
  ],
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
    expected: action === 'cancel' ? bookingReaders(200) : staffChange,
  })),
  'GET /api/v1/admin/presence': [
    { request: async () => ({ path: '/admin/presence' }), expected: { ...signedIn(403), admin: 200 } },
  ],
  'GET /api/v1/push/vapid-key': [{ request: async () => ({ path: '/push/vapid-key' }), expected: all(200) }],
  'POST /api/v1/push/subscriptions': [
    {
      request: async () => ({
        path: '/push/subscriptions',
        body: { provider: 'fcm', token: `fcm-token-${unique()}` },
      }),
      expected: signedIn(201),
    },
  ],
  'GET /api/v1/push/subscriptions': [
    { request: async () => ({ path: '/push/subscriptions' }), expected: signedIn(200) },
  ],
  'DELETE /api/v1/push/subscriptions/{id}': [
    {
      variant: "Alice's device",
      request: async (ctx) => ({ path: `/push/subscriptions/${await aliceDevice(ctx)}` }),
      expected: { ...signedIn(404), 'customer (own booking)': 204 },
    },
  ],
  'POST /api/v1/push/actions': [
    {
      variant: "Alice's cancel token, pressed by anyone: done once, the same answer for all",
      request: async (ctx) => ({ path: '/push/actions', body: { token: await aliceCancelToken(ctx) } }),
      expected: all(200),
    },
  ],
  // The mark is the only authority, and all it does is count a message as opened once: the same for every caller
  // (a made-up mark: push.test.ts).
  'POST /api/v1/push/opens': [
    {
      variant: 'a genuine mark (of a message long pruned): nothing to count, no error',
      request: async () => ({ path: '/push/opens', body: { marks: [new MailOpenMarks(TEST_JWT_SECRET).sign(1e12)] } }),
      expected: all(204),
    },
  ],
  // The signed link is the only authority: whoever holds Alice's link (her mail provider, anyone) gets the same answer.
  'GET /api/v1/mail/unsubscribe': [
    {
      variant: "Alice's expiry-mail link: a page, nothing changed",
      request: async ({ w }) => ({ path: `/mail/unsubscribe?token=${await aliceUnsubscribeToken(w)}` }),
      expected: all(200),
    },
  ],
  'POST /api/v1/mail/unsubscribe': [
    {
      variant: "Alice's expiry-mail link, one-click: her cell only",
      request: async ({ w }) => ({
        path: `/mail/unsubscribe?token=${await aliceUnsubscribeToken(w)}`,
        body: { 'List-Unsubscribe': 'One-Click' },
      }),
      expected: all(200),
    },
  ],
  'GET /api/v1/analytics/heatmap': [
    {
      variant: "vendor A's",
      request: async ({ w }) => ({
        path: `/analytics/heatmap?metric=made&from=2026-01-01&to=2026-01-31&vendorId=${w.a.vendor.id}`,
      }),
      expected: managers(200),
    },
    {
      variant: 'own vendor (no vendorId)',
      request: async () => ({ path: '/analytics/heatmap?metric=made&from=2026-01-01&to=2026-01-31' }),
      expected: { ...managers(200), 'owner of another vendor': 200 },
    },
  ],
  'GET /api/v1/analytics/trends': [
    {
      request: async ({ w }) => ({ path: `/analytics/trends?days=7&vendorId=${w.a.vendor.id}` }),
      expected: managers(200),
    },
  ],
  'GET /api/v1/analytics/vendor-insights': [
    {
      variant: "vendor A's",
      request: async ({ w }) => ({ path: `/analytics/vendor-insights?days=30&vendorId=${w.a.vendor.id}` }),
      expected: managers(200),
    },
    {
      variant: 'own vendor (no vendorId)',
      request: async () => ({ path: '/analytics/vendor-insights?days=7' }),
      expected: { ...managers(200), 'owner of another vendor': 200 },
    },
  ],
  'GET /api/v1/analytics/engagement': [
    { request: async () => ({ path: '/analytics/engagement?days=30' }), expected: { ...signedIn(403), admin: 200 } },
  ],
  'GET /api/v1/analytics/socket-heatmap': [
    {
      request: async () => ({ path: '/analytics/socket-heatmap?from=2026-01-01&to=2026-01-31&timeZone=Europe/Berlin' }),
      expected: { ...signedIn(403), admin: 200 },
    },
  ],
  'GET /api/v1/notifications': [{ request: async () => ({ path: '/notifications' }), expected: signedIn(200) }],
  'POST /api/v1/notifications/read-all': [
    { request: async () => ({ path: '/notifications/read-all' }), expected: signedIn(200) },
  ],
  'POST /api/v1/notifications/{id}/read': [
    {
      variant: "Alice's",
      request: async (ctx) => ({ path: `/notifications/${await aliceNotification(ctx)}/read` }),
      expected: { ...signedIn(404), 'customer (own booking)': 200 },
    },
  ],
  // Only ever the caller's own preferences: the path names no user.
  'GET /api/v1/me/notification-preferences': [
    { request: async () => ({ path: '/me/notification-preferences' }), expected: signedIn(200) },
  ],
  'PATCH /api/v1/me/notification-preferences': [
    {
      request: async () => ({
        path: '/me/notification-preferences',
        body: { settings: [{ category: 'system', channel: 'email', enabled: true }] },
      }),
      expected: signedIn(200),
    },
  ],
  'GET /api/v1/vendors/{id}/notification-defaults': [
    {
      request: async ({ w }) => ({ path: `/vendors/${w.a.vendor.id}/notification-defaults` }),
      expected: managers(200),
    },
  ],
  'PATCH /api/v1/vendors/{id}/notification-defaults': [
    {
      request: async ({ w }) => ({
        path: `/vendors/${w.a.vendor.id}/notification-defaults`,
        body: { settings: [{ category: 'request', channel: 'email', enabled: true }] },
      }),
      expected: managers(200),
    },
  ],
  'GET /api/v1/admin/notification-frequency': [
    {
      request: async () => ({
        path: `/admin/notification-frequency?from=2030-01-01T00:00:00Z&to=2030-02-01T00:00:00Z`,
      }),
      expected: { ...signedIn(403), admin: 200 },
    },
  ],
};

const CODE_OF: Record<number, ErrorCode> = { 401: 'AUTH_REQUIRED', 403: 'FORBIDDEN', 404: 'NOT_FOUND' };

const ROWS = Object.entries(MATRIX).flatMap(([route, cases]) =>
  cases.map((c) => ({ name: c.variant ? `${route} (${c.variant})` : route, route, c })),
);

describe.each(DB_KINDS)('access control on %s', (kind) => {
  const ctx = {} as Ctx;

  beforeAll(async () => {
    ctx.server = await startTestServer(kind);
    ctx.w = await buildWorld(ctx.server);
    ctx.nextSlot = slotAllocator(2);
    aliceNotificationId = null;
    aliceDeviceId = null;
    aliceActionToken = null;
  });
  afterAll(async () => {
    await ctx.server?.close();
  });

  it('has a matrix entry for every route in the OpenAPI document, and none for a route that is gone', async () => {
    const doc = await api<{ paths: Record<string, Record<string, unknown>> }>(ctx.server, 'GET', '/openapi.json');
    const routes = Object.entries(doc.body.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.length).toBeGreaterThan(0);
    expect([...routes].sort()).toEqual(Object.keys(MATRIX).sort());
  });

  it.each(ROWS)('answers $name with the expected status for every caller', async ({ route, c }) => {
    const method = route.split(' ')[0]!;
    const results = await Promise.all(
      WHO.map(async (who) => {
        const cell = await c.request(ctx, who);
        const res = await api<Problem>(ctx.server, method, cell.path, {
          token: party(ctx.w, who)?.token,
          body: cell.body,
        });
        return [who, res] as const;
      }),
    );
    expect(Object.fromEntries(results.map(([who, res]) => [who, res.status]))).toEqual(c.expected);
    for (const [who, res] of results) {
      const code = CODE_OF[res.status];
      if (code) expect({ who, code: res.body.code }).toEqual({ who, code });
    }
  });

  describe('visibility of bookings', () => {
    let atA: Booking;
    let atB: Booking;

    beforeAll(async () => {
      const { server, w } = ctx;
      const make = async (token: string, v: World['a'], customerId: string) => {
        const res = await api<Booking>(server, 'POST', '/bookings', {
          token,
          body: { resourceId: v.resource.id, serviceId: v.service.id, startAt: ctx.nextSlot(), customerId },
        });
        expect(res.status).toBe(201);
        return res.body;
      };
      atA = await make(w.alice.token, w.a, w.alice.user.id);
      atB = await make(w.bob.token, w.b, w.bob.user.id);
    });

    const listAll = async (token: string) => {
      const items: Booking[] = [];
      let cursor: string | null = null;
      do {
        const q: string = cursor ? `?limit=200&cursor=${cursor}` : '?limit=200';
        const page = await api<{ items: Booking[]; nextCursor: string | null }>(ctx.server, 'GET', `/bookings${q}`, {
          token,
        });
        expect(page.status).toBe(200);
        items.push(...page.body.items);
        cursor = page.body.nextCursor;
      } while (cursor);
      return items;
    };

    it("never shows a vendor's staff another vendor's bookings, in the list or one by one", async () => {
      const { w } = ctx;
      for (const staff of [w.a.staff, w.a.owner]) {
        const items = await listAll(staff.token);
        expect(items.map((b) => b.id)).toContain(atA.id);
        expect(items.every((b) => b.vendorId === w.a.vendor.id)).toBe(true);
        const other = await api<Problem>(ctx.server, 'GET', `/bookings/${atB.id}`, { token: staff.token });
        expect([other.status, other.body.code]).toEqual([404, 'NOT_FOUND']);
      }
      const items = await listAll(w.b.staff.token);
      expect(items.map((b) => b.id)).toContain(atB.id);
      expect(items.every((b) => b.vendorId === w.b.vendor.id)).toBe(true);
    });

    it('shows a customer only their own bookings', async () => {
      const { w } = ctx;
      const alice = await listAll(w.alice.token);
      expect(alice.map((b) => b.id)).toContain(atA.id);
      expect(alice.every((b) => b.customerId === w.alice.user.id)).toBe(true);
      const bob = await listAll(w.bob.token);
      expect(bob.map((b) => b.id)).toEqual([atB.id]);
      const notHers = await api<Problem>(ctx.server, 'GET', `/bookings/${atB.id}`, { token: w.alice.token });
      expect([notHers.status, notHers.body.code]).toEqual([404, 'NOT_FOUND']);
    });

    it('shows admins every vendor’s bookings', async () => {
      const ids = (await listAll(ctx.w.admin.token)).map((b) => b.id);
      expect(ids).toEqual(expect.arrayContaining([atA.id, atB.id]));
    });
  });
});
