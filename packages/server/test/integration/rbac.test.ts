import type { Booking, ErrorCode, Problem } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../support/databases.js';
import { startTestServer } from '../support/server.js';
import { slotAllocator } from '../support/slots.js';
import { api, buildWorld, type World } from '../support/world.js';
import { ACCOUNT_ROUTES } from './rbac-matrix/account-routes.js';
import { BOOKING_ROUTES } from './rbac-matrix/booking-routes.js';
import { type Ctx, forgetFixtures, party, WHO } from './rbac-matrix/context.js';
import { DELIVERY_ROUTES } from './rbac-matrix/delivery-routes.js';

/** Every route of the API (as OpenAPI names it) × every kind of caller → the status they get (rbac-matrix/). */
const MATRIX = { ...ACCOUNT_ROUTES, ...BOOKING_ROUTES, ...DELIVERY_ROUTES };

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
    forgetFixtures();
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
