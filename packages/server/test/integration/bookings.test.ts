import type { Booking, Problem } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { api, book, buildWorld, slotAt, type World } from '../support/world.js';

describe.each(DB_KINDS)('bookings on %s', (kind) => {
  let server: TestServer;
  let w: World;

  beforeAll(async () => {
    server = await startTestServer(kind);
    w = await buildWorld(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('lets exactly one of 200 concurrent overlapping requests win; 199 get 409 BOOKING_SLOT_TAKEN', async () => {
    // Starts 0, 30, 60, 90 minutes apart: every pair of 60-minute bookings among them overlaps one another or a neighbour,
    // and each start is requested by many callers at once.
    const starts = [slotAt(3, 10), slotAt(3, 10, 30), slotAt(3, 10), slotAt(3, 10, 30)];
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => book(server, i % 2 ? w.alice : w.bob, w.a, starts[i % 2]!)),
    );
    const created = results.filter((r) => r.status === 201);
    const conflicts = results.filter((r) => r.status === 409);
    expect(created).toHaveLength(1);
    expect(conflicts).toHaveLength(199);
    for (const c of conflicts) expect((c.body as Problem).code).toBe('BOOKING_SLOT_TAKEN');
    const rows = await server.slotcast.db.query<{ n: number }>(
      "SELECT count(*)::int8 AS n FROM bookings WHERE resource_id = $1 AND status IN ('requested','confirmed')",
      [w.a.resource.id],
    );
    expect(rows[0]!.n).toBe(1);
    // Exactly one event for the one booking: a lost race writes nothing.
    const events = await server.slotcast.db.query<{ n: number }>(
      'SELECT count(*)::int8 AS n FROM events WHERE resource_id = $1',
      [w.a.resource.id],
    );
    expect(events[0]!.n).toBe(1);
  });

  it('answers an overlap with the conflicting interval and the next free slots', async () => {
    const first = await book(server, w.alice, w.a, slotAt(4, 12));
    expect(first.status).toBe(201);
    const res = await book(server, w.bob, w.a, slotAt(4, 12, 30));
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const p = res.body as Problem & {
      conflict: { startAt: string; endAt: string };
      nextFreeSlots: { startAt: string }[];
    };
    expect(p.code).toBe('BOOKING_SLOT_TAKEN');
    expect(p.conflict).toEqual({ startAt: slotAt(4, 12), endAt: slotAt(4, 13) });
    expect(p.nextFreeSlots.map((s) => s.startAt)).toEqual([slotAt(4, 13), slotAt(4, 13, 30), slotAt(4, 14)]);
  });

  it('runs a booking through confirm, reschedule, check-in and complete, one version at a time', async () => {
    const created = await book(server, w.alice, w.a, slotAt(5, 9));
    expect(created.status).toBe(201);
    let b = created.body as Booking;
    expect(b).toMatchObject({ status: 'requested', version: 1, customerId: w.alice.user.id });

    const confirmed = await api<Booking>(server, 'POST', `/bookings/${b.id}/confirm`, {
      token: w.a.staff.token,
      body: { version: 1 },
    });
    expect(confirmed.status).toBe(200);
    b = confirmed.body;
    expect(b).toMatchObject({
      status: 'confirmed',
      version: 2,
      updatedBy: { userId: w.a.staff.user.id, role: 'staff' },
    });

    const moved = await api<Booking>(server, 'POST', `/bookings/${b.id}/reschedule`, {
      token: w.a.staff.token,
      body: { version: 2, startAt: slotAt(5, 15), reason: 'customer asked' },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ status: 'confirmed', version: 3, startAt: slotAt(5, 15), endAt: slotAt(5, 16) });
    // The old slot is free again.
    expect((await book(server, w.bob, w.a, slotAt(5, 9))).status).toBe(201);

    const stale = await api<Problem & { current: Booking }>(server, 'POST', `/bookings/${b.id}/check-in`, {
      token: w.a.staff.token,
      body: { version: 2 },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('BOOKING_VERSION_CONFLICT');
    expect(stale.body.current).toMatchObject({ id: b.id, version: 3, startAt: slotAt(5, 15) });

    const checkedIn = await api<Booking>(server, 'POST', `/bookings/${b.id}/check-in`, {
      token: w.a.staff.token,
      body: { version: 3 },
    });
    expect(checkedIn.body).toMatchObject({ status: 'checked_in', version: 4 });
    const done = await api<Booking>(server, 'POST', `/bookings/${b.id}/complete`, {
      token: w.a.staff.token,
      body: { version: 4 },
    });
    expect(done.body).toMatchObject({ status: 'completed', version: 5 });

    const again = await api<Problem>(server, 'POST', `/bookings/${b.id}/cancel`, {
      token: w.a.staff.token,
      body: { version: 5 },
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('BOOKING_TRANSITION_NOT_ALLOWED');

    const events = await server.slotcast.db.query<{ type: string }>(
      'SELECT type FROM events WHERE booking_id = $1 ORDER BY id',
      [b.id],
    );
    expect(events.map((e) => e.type)).toEqual([
      'booking.requested',
      'booking.confirmed',
      'booking.rescheduled',
      'booking.checked_in',
      'booking.completed',
    ]);
  });
});
