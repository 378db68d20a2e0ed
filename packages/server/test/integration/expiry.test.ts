import type { Booking, BookingEventData } from '@slotcast/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { slotAllocator } from '../support/slots.js';
import { api, buildWorld, type Party, type VendorWorld, type World } from '../support/world.js';

const MINUTE = 60_000;

describe.each(DB_KINDS)('expiry of unconfirmed requests on %s', (kind) => {
  let server: TestServer;
  let w: World;
  let nextSlot: () => string;
  /** The server's clock runs this far ahead of the real one. */
  let ahead = 0;

  beforeAll(async () => {
    // The background sweep stays out of the way (hourly); the tests call expireDue() themselves.
    server = await startTestServer(kind, { EXPIRY_SWEEP_SECONDS: '3600' }, () => new Date(Date.now() + ahead));
    w = await buildWorld(server);
    nextSlot = slotAllocator(3);
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(() => {
    ahead = 0;
  });

  const book = async (party: Party, v: VendorWorld = w.a, startAt = nextSlot()) => {
    const res = await api<Booking>(server, 'POST', '/bookings', {
      token: party.token,
      body: { resourceId: v.resource.id, serviceId: v.service.id, startAt },
    });
    expect(res.status).toBe(201);
    return res.body;
  };
  const current = async (b: Booking) =>
    (await api<Booking>(server, 'GET', `/bookings/${b.id}`, { token: w.admin.token })).body;
  const eventsOf = (b: Booking) =>
    server.slotcast.db.query<{ type: string; payload: BookingEventData }>(
      'SELECT type, payload FROM events WHERE booking_id = $1 ORDER BY id',
      [b.id],
    );

  it("expires a request nobody confirmed once the vendor's requestTtlMinutes have passed, appending booking.expired", async () => {
    const b = await book(w.alice);
    expect(b.status).toBe('requested');

    ahead = 59 * MINUTE;
    expect(await server.slotcast.bookings.expireDue()).toBe(0);
    expect((await current(b)).status).toBe('requested');

    ahead = 60 * MINUTE + 1000;
    expect(await server.slotcast.bookings.expireDue()).toBe(1);
    const expired = await current(b);
    expect(expired).toMatchObject({
      status: 'expired',
      version: 2,
      statusReason: 'not confirmed in time',
      updatedBy: { userId: null, role: 'system' },
    });

    const events = await eventsOf(b);
    expect(events.map((e) => e.type)).toEqual(['booking.requested', 'booking.expired']);
    expect(events[1]!.payload).toMatchObject({
      previousStatus: 'requested',
      actor: { userId: null, role: 'system' },
      reason: 'not confirmed in time',
      booking: { id: b.id, status: 'expired', version: 2 },
    });
    // Nothing left to do on a second sweep.
    expect(await server.slotcast.bookings.expireDue()).toBe(0);
  });

  it('does not expire a confirmed booking', async () => {
    const b = await book(w.alice);
    const confirmed = await api<Booking>(server, 'POST', `/bookings/${b.id}/confirm`, {
      token: w.a.staff.token,
      body: { version: 1 },
    });
    expect(confirmed.status).toBe(200);
    ahead = 24 * 60 * MINUTE;
    await server.slotcast.bookings.expireDue();
    expect(await current(b)).toMatchObject({ status: 'confirmed', version: 2 });
    expect((await eventsOf(b)).map((e) => e.type)).toEqual(['booking.requested', 'booking.confirmed']);
  });

  it('leaves cancelled and declined requests as they are', async () => {
    const cancelled = await book(w.alice);
    const declined = await book(w.bob);
    await api(server, 'POST', `/bookings/${cancelled.id}/cancel`, { token: w.alice.token, body: { version: 1 } });
    await api(server, 'POST', `/bookings/${declined.id}/decline`, { token: w.a.staff.token, body: { version: 1 } });
    ahead = 24 * 60 * MINUTE;
    await server.slotcast.bookings.expireDue();
    expect((await current(cancelled)).status).toBe('cancelled');
    expect((await current(declined)).status).toBe('declined');
  });

  it("follows each vendor's own requestTtlMinutes", async () => {
    const patched = await api(server, 'PATCH', `/vendors/${w.b.vendor.id}`, {
      token: w.b.owner.token,
      body: { requestTtlMinutes: 10 },
    });
    expect(patched.status).toBe(200);
    const atA = await book(w.alice, w.a);
    const atB = await book(w.alice, w.b);
    ahead = 11 * MINUTE;
    await server.slotcast.bookings.expireDue();
    expect((await current(atA)).status).toBe('requested');
    expect((await current(atB)).status).toBe('expired');
  });

  it('frees the slot of an expired request for the next customer', async () => {
    const startAt = nextSlot();
    const b = await book(w.alice, w.a, startAt);
    ahead = 61 * MINUTE;
    await server.slotcast.bookings.expireDue();
    expect((await current(b)).status).toBe('expired');
    const next = await book(w.bob, w.a, startAt);
    expect(next.status).toBe('requested');
  });

  it('refuses to confirm an expired request with 409 BOOKING_TRANSITION_NOT_ALLOWED', async () => {
    const b = await book(w.alice);
    ahead = 61 * MINUTE;
    await server.slotcast.bookings.expireDue();
    const late = await api<{ code: string }>(server, 'POST', `/bookings/${b.id}/confirm`, {
      token: w.a.staff.token,
      body: { version: 2 },
    });
    expect([late.status, late.body.code]).toEqual([409, 'BOOKING_TRANSITION_NOT_ALLOWED']);
  });
});
