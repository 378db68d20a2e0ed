import type { Booking, BookingTimeline, Problem, Profile, Vendor } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { type Listener, listen } from '../support/sockets.js';
import { api, buildWorld, type Party, slotAt, type World } from '../support/world.js';

// Distinctive values, so "never sees them" can be checked by searching whole answers and socket traffic.
const ALICE = { name: 'Alice Quennell-Prym', phone: '+49 30 5550 1771' };
const BOB = { name: 'Bob Yarrowdale', phone: '+44 20 7946 0958' };
const leaks = (value: unknown, who: { name: string; phone: string }, email: string) => {
  const text = JSON.stringify(value);
  return [who.name, who.phone, email].filter((s) => text.includes(s));
};

describe.each(DB_KINDS)('who booked: customer details and booking timelines on %s', (kind) => {
  let server: TestServer;
  let w: World;
  let atA: Booking; // Alice's, at vendor A
  let atB: Booking; // Bob's, at vendor B
  let hour = 8;

  const get = <T>(party: Party, path: string) => api<T>(server, 'GET', path, { token: party.token });
  const adminBooks = async (customer: Party, vendor: World['a']) => {
    const res = await api<Booking>(server, 'POST', '/bookings', {
      token: w.admin.token,
      body: {
        resourceId: vendor.resource.id,
        serviceId: vendor.service.id,
        startAt: slotAt(5, hour++),
        customerId: customer.user.id,
      },
    });
    expect(res.status).toBe(201);
    return res.body;
  };

  beforeAll(async () => {
    server = await startTestServer(kind);
    w = await buildWorld(server);
    // Alice shares her phone but not her email; Bob shares his email but not his phone.
    const a = await api<Profile>(server, 'PATCH', '/me/profile', {
      token: w.alice.token,
      body: { ...ALICE, sharePhone: true, shareEmail: false, timezone: 'Europe/Berlin' },
    });
    expect(a.status).toBe(200);
    const b = await api<Profile>(server, 'PATCH', '/me/profile', {
      token: w.bob.token,
      body: { ...BOB, sharePhone: false, shareEmail: true },
    });
    expect(b.status).toBe(200);
    atA = await adminBooks(w.alice, w.a);
    atB = await adminBooks(w.bob, w.b);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('keeps a profile: name, phone, time zone and sharing choices; null clears the phone', async () => {
    const mine = await get<Profile>(w.alice, '/me/profile');
    expect(mine.body).toEqual({
      name: ALICE.name,
      email: 'alice@test.test',
      phone: ALICE.phone,
      timezone: 'Europe/Berlin',
      sharePhone: true,
      shareEmail: false,
    });
    const bad = await api<Problem>(server, 'PATCH', '/me/profile', {
      token: w.alice.token,
      body: { phone: 'call me maybe', timezone: 'Mars/Olympus' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect((await get<Profile>(w.alice, '/me/profile')).body.phone).toBe(ALICE.phone);
    expect((await api(server, 'GET', '/me/profile')).status).toBe(401);
  });

  it('shows the vendor’s staff the customer’s name and only the contact details the customer shares', async () => {
    const one = await get<Booking>(w.a.staff, `/bookings/${atA.id}`);
    expect(one.body.customer).toEqual({ name: ALICE.name, phone: ALICE.phone, email: null });
    const list = await get<{ items: Booking[] }>(w.b.owner, '/bookings');
    expect(list.body.items.find((b) => b.id === atB.id)?.customer).toEqual({
      name: BOB.name,
      phone: null,
      email: 'bob@test.test',
    });
  });

  it('shows an admin the customers of every vendor', async () => {
    const list = await get<{ items: Booking[] }>(w.admin, '/bookings?limit=200');
    expect(list.body.items.find((b) => b.id === atA.id)?.customer?.name).toBe(ALICE.name);
    expect(list.body.items.find((b) => b.id === atB.id)?.customer?.name).toBe(BOB.name);
  });

  it('never shows another vendor’s staff or another customer who booked, over REST', async () => {
    for (const party of [w.b.staff, w.b.owner, w.bob]) {
      const one = await get<Problem>(party, `/bookings/${atA.id}`);
      expect(one.status).toBe(404);
      expect(leaks(one.body, ALICE, 'alice@test.test')).toEqual([]);
      const timeline = await get<Problem>(party, `/bookings/${atA.id}/events`);
      expect(timeline.status).toBe(404);
      const list = await get<{ items: Booking[] }>(party, '/bookings?limit=200');
      expect(list.status).toBe(200);
      expect(leaks(list.body, ALICE, 'alice@test.test')).toEqual([]);
    }
    // A customer's own booking carries no `customer`: it is about the vendor's view of them.
    const own = await get<Booking>(w.alice, `/bookings/${atA.id}`);
    expect(own.status).toBe(200);
    expect(own.body.customer).toBeUndefined();
  });

  it('tells who did what in a booking’s timeline: names for the vendor’s staff, “you” for the customer', async () => {
    const confirmed = await api<Booking>(server, 'POST', `/bookings/${atA.id}/confirm`, {
      token: w.a.staff.token,
      body: { version: atA.version },
    });
    expect(confirmed.status).toBe(200);
    const moved = await api<Booking>(server, 'POST', `/bookings/${atA.id}/reschedule`, {
      token: w.alice.token,
      body: { version: confirmed.body.version, startAt: slotAt(6, 9) },
    });
    expect(moved.status).toBe(200);

    const staffView = await get<BookingTimeline>(w.a.staff, `/bookings/${atA.id}/events`);
    expect(staffView.status).toBe(200);
    expect(staffView.body.items.map((e) => [e.type, e.actor.role, e.actor.name, e.actor.you])).toEqual([
      ['booking.requested', 'admin', 'Admin', false],
      ['booking.confirmed', 'staff', 'Staff', true],
      ['booking.rescheduled', 'customer', ALICE.name, false],
    ]);
    expect(staffView.body.items[2]!.previous?.startAt).toBe(atA.startAt);

    const customerView = await get<BookingTimeline>(w.alice, `/bookings/${atA.id}/events`);
    expect(customerView.body.items.map((e) => [e.type, e.actor.role, e.actor.name, e.actor.you])).toEqual([
      ['booking.requested', 'admin', null, false],
      ['booking.confirmed', 'staff', null, false],
      ['booking.rescheduled', 'customer', null, true],
    ]);
  });

  it('never sends a customer’s name or contact over sockets, to anyone', async () => {
    const listeners: Record<string, Listener> = {
      staffA: await listen(server, { token: w.a.staff.token }),
      staffB: await listen(server, { token: w.b.staff.token }),
      bob: await listen(server, { token: w.bob.token }),
      admin: await listen(server, { token: w.admin.token }),
    };
    await Promise.all(Object.values(listeners).map((l) => l.replayDone));
    const hers = await adminBooks(w.alice, w.a);
    // The sentinel: a booking of Bob's at vendor B comes after Alice's in the log; everyone below sees it.
    const sentinel = await adminBooks(w.bob, w.b);
    const sawSentinel = (l: Listener) =>
      l.events.some((e) => (e.data as { booking?: Booking }).booking?.id === sentinel.id);
    await expect.poll(() => sawSentinel(listeners.staffB!) && sawSentinel(listeners.bob!)).toBe(true);
    await expect.poll(() => sawSentinel(listeners.admin!)).toBe(true);
    // Staff of vendor A see Alice's booking live (the web app asks REST for the customer), not the sentinel.
    await expect
      .poll(() => listeners.staffA!.events.some((e) => (e.data as { booking?: Booking }).booking?.id === hers.id))
      .toBe(true);
    for (const [who, l] of Object.entries(listeners)) {
      const bookingEvents = l.events.filter((e) => e.type.startsWith('booking.'));
      expect(
        bookingEvents.every((e) => !('customer' in (e.data as { booking: Booking }).booking)),
        who,
      ).toBe(true);
      if (who === 'staffB' || who === 'bob') expect(leaks(l.events, ALICE, 'alice@test.test'), who).toEqual([]);
      l.close();
    }
  });

  it('applies the vendor’s rules to a customer’s move: its own cut-off, and a new request when it asks for one', async () => {
    const updated = await api<Vendor>(server, 'PATCH', `/vendors/${w.a.vendor.id}`, {
      token: w.a.owner.token,
      body: { rescheduleCutoffMinutes: 48 * 60, rescheduleNeedsConfirmation: true },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ rescheduleCutoffMinutes: 2880, rescheduleNeedsConfirmation: true });

    const soon = await api<Booking>(server, 'POST', '/bookings', {
      token: w.a.staff.token,
      body: {
        resourceId: w.a.resource.id,
        serviceId: w.a.service.id,
        startAt: slotAt(1, 14),
        customerId: w.alice.user.id,
      },
    });
    const tooLate = await api<Problem>(server, 'POST', `/bookings/${soon.body.id}/reschedule`, {
      token: w.alice.token,
      body: { version: soon.body.version, startAt: slotAt(1, 16) },
    });
    expect(tooLate.status).toBe(409);
    expect(tooLate.body.code).toBe('BOOKING_CANCELLATION_WINDOW_CLOSED');

    const later = await adminBooks(w.alice, w.a);
    const confirmed = await api<Booking>(server, 'POST', `/bookings/${later.id}/confirm`, {
      token: w.a.staff.token,
      body: { version: later.version },
    });
    const moved = await api<Booking>(server, 'POST', `/bookings/${later.id}/reschedule`, {
      token: w.alice.token,
      body: { version: confirmed.body.version, startAt: slotAt(7, 10) },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.status).toBe('requested');
    // Staff moves keep the status.
    const staffMove = await api<Booking>(server, 'POST', `/bookings/${later.id}/reschedule`, {
      token: w.a.staff.token,
      body: { version: moved.body.version, startAt: slotAt(7, 12) },
    });
    expect(staffMove.body.status).toBe('requested');
  });
});
