import type { Booking, BookingStatus, Problem } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { api, buildWorld, type Party, slotAt, type VendorWorld, type World } from '../support/world.js';

type Page = { items: Booking[]; nextCursor: string | null };

const byStart = (a: Booking, b: Booking) => a.startAt.localeCompare(b.startAt) || a.id.localeCompare(b.id);
const ids = (bs: Booking[]) => bs.map((b) => b.id);

describe.each(DB_KINDS)('booking lists on %s', (kind) => {
  let server: TestServer;
  let w: World;
  /** Every booking made here, in its latest state. */
  const made: Booking[] = [];

  const list = (party: Party, query = '') =>
    api<Page & Problem>(server, 'GET', `/bookings${query}`, { token: party.token });

  /** Follows nextCursor to the end; fails on a page that repeats an item. */
  async function listAll(party: Party, query: string, limit: number, from: string | null = null) {
    const seen: Booking[] = [];
    let cursor = from;
    let pages = 0;
    do {
      const sep = query ? '&' : '?';
      const res = await list(party, `${query}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
      pages++;
      expect(pages).toBeLessThan(100);
    } while (cursor);
    return { items: seen, pages };
  }

  async function make(
    by: Party,
    v: VendorWorld,
    resource: 'resource' | 'resource2',
    startAt: string,
    to?: BookingStatus,
  ) {
    const res = await api<Booking>(server, 'POST', '/bookings', {
      token: by.token,
      body: { resourceId: v[resource].id, serviceId: v.service.id, startAt },
    });
    expect(res.status).toBe(201);
    let b = res.body;
    const action = to === 'confirmed' ? 'confirm' : to === 'cancelled' ? 'cancel' : null;
    if (action) {
      const changed = await api<Booking>(server, 'POST', `/bookings/${b.id}/${action}`, {
        token: w.admin.token,
        body: { version: b.version },
      });
      expect(changed.status).toBe(200);
      b = changed.body;
    }
    made.push(b);
    return b;
  }

  beforeAll(async () => {
    server = await startTestServer(kind);
    w = await buildWorld(server);
    const statuses: BookingStatus[] = ['requested', 'confirmed', 'cancelled'];
    // Pairs with the same start on two resources, so the cursor has ties on startAt to break by id.
    for (let i = 0; i < 12; i++) {
      await make(w.alice, w.a, 'resource', slotAt(2, i), statuses[i % 3]);
      await make(w.bob, w.a, 'resource2', slotAt(2, i), statuses[(i + 1) % 3]);
    }
    for (let i = 0; i < 4; i++) await make(w.alice, w.b, 'resource', slotAt(3, 10 + i));
  });
  afterAll(async () => {
    await server?.close();
  });

  it('pages through every booking in (startAt, id) order with no duplicates and no gaps', async () => {
    const { items, pages } = await listAll(w.admin, '', 5);
    expect(pages).toBe(Math.ceil(made.length / 5));
    expect(new Set(ids(items)).size).toBe(items.length);
    expect(ids(items)).toEqual(ids([...made].sort(byStart)));
  });

  it('ends on the last full page rather than an empty one', async () => {
    expect(made.length % 7).toBe(0);
    const { items, pages } = await listAll(w.admin, '', 7);
    expect(pages).toBe(made.length / 7);
    expect(items).toHaveLength(made.length);
  });

  it('neither repeats nor skips a listed booking when another is made between pages', async () => {
    const first = await list(w.admin, '?limit=10');
    const before = ids([...made].sort(byStart));
    // Earlier than everything: it sorts before the cursor, so it must not shift the next pages.
    await make(w.alice, w.a, 'resource', slotAt(1, 23));
    const rest = await listAll(w.admin, '', 10, first.body.nextCursor);
    expect([...ids(first.body.items), ...ids(rest.items)]).toEqual(before);
  });

  it('filters by a list of statuses (status=requested,confirmed)', async () => {
    const { items } = await listAll(w.admin, '?status=requested,confirmed', 4);
    const expected = made.filter((b) => b.status === 'requested' || b.status === 'confirmed').sort(byStart);
    expect(ids(items)).toEqual(ids(expected));
    expect(items.some((b) => b.status === 'requested') && items.some((b) => b.status === 'confirmed')).toBe(true);
  });

  it('filters by a single status', async () => {
    const { items } = await listAll(w.admin, '?status=cancelled', 3);
    expect(ids(items)).toEqual(ids(made.filter((b) => b.status === 'cancelled').sort(byStart)));
  });

  it('filters by resource', async () => {
    const { items } = await listAll(w.admin, `?resourceId=${w.a.resource2.id}`, 5);
    expect(items).toHaveLength(12);
    expect(ids(items)).toEqual(ids(made.filter((b) => b.resourceId === w.a.resource2.id).sort(byStart)));
  });

  it('filters by time: from..to returns the bookings overlapping that window', async () => {
    // 03:30 to 06:00 on day 2 overlaps the hour-long bookings starting at 03:00, 04:00 and 05:00.
    const from = encodeURIComponent(slotAt(2, 3, 30));
    const to = encodeURIComponent(slotAt(2, 6));
    const { items } = await listAll(w.admin, `?from=${from}&to=${to}`, 4);
    expect(items).toHaveLength(6);
    expect(new Set(items.map((b) => b.startAt))).toEqual(new Set([slotAt(2, 3), slotAt(2, 4), slotAt(2, 5)]));
  });

  it('combines filters with pagination', async () => {
    const query = `?status=requested,confirmed&resourceId=${w.a.resource.id}&from=${encodeURIComponent(slotAt(2, 0))}`;
    const { items } = await listAll(w.admin, query, 2);
    const expected = made.filter(
      (b) =>
        b.resourceId === w.a.resource.id &&
        (b.status === 'requested' || b.status === 'confirmed') &&
        b.endAt > slotAt(2, 0),
    );
    expect(ids(items)).toEqual(ids(expected.sort(byStart)));
  });

  it("scopes the list by role: staff see their vendor's bookings, customers their own, admins all", async () => {
    const staffA = await listAll(w.a.staff, '', 6);
    expect(ids(staffA.items)).toEqual(ids(made.filter((b) => b.vendorId === w.a.vendor.id).sort(byStart)));
    const staffB = await listAll(w.b.staff, '', 6);
    expect(ids(staffB.items)).toEqual(ids(made.filter((b) => b.vendorId === w.b.vendor.id).sort(byStart)));
    const bob = await listAll(w.bob, '', 6);
    expect(ids(bob.items)).toEqual(ids(made.filter((b) => b.customerId === w.bob.user.id).sort(byStart)));
    const alice = await listAll(w.alice, '', 6);
    expect(ids(alice.items)).toEqual(ids(made.filter((b) => b.customerId === w.alice.user.id).sort(byStart)));
    const admin = await listAll(w.admin, '', 50);
    expect(admin.items).toHaveLength(made.length);
  });

  it("gives staff an empty list, not another vendor's bookings, when they filter by that vendor's resource", async () => {
    const res = await list(w.b.staff, `?resourceId=${w.a.resource.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], nextCursor: null });
  });

  it('keeps a cursor scoped: another caller with it still sees only their own bookings', async () => {
    const page = await list(w.admin, '?limit=3');
    const res = await listAll(w.bob, '', 50, page.body.nextCursor);
    expect(res.items.every((b) => b.customerId === w.bob.user.id)).toBe(true);
  });
});
