import type { Booking, BookingEventData, Problem } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { type Listener, listen } from '../support/sockets.js';
import { book, buildWorld, slotAt, type World } from '../support/world.js';

const RUNS = 10;
const REQUESTS = 200;

describe.each(DB_KINDS)('slot races on %s', (kind) => {
  let server: TestServer;
  let w: World;
  let staff: Listener;

  beforeAll(async () => {
    server = await startTestServer(kind);
    w = await buildWorld(server);
    // The vendor's staff watch the resource the race is on: realtime must keep delivering while it runs.
    staff = await listen(server, { token: w.a.staff.token });
  });
  afterAll(async () => {
    staff?.close();
    await server?.close();
  });

  const bookingIdsSeen = () =>
    staff.events.filter((e) => e.type.startsWith('booking.')).map((e) => (e.data as BookingEventData).booking.id);

  it(`answers ${REQUESTS} concurrent overlapping requests with 1 × 201 and 199 × 409, ${RUNS} times in a row, while realtime keeps delivering`, async () => {
    const winners: string[] = [];
    for (let run = 0; run < RUNS; run++) {
      // Starts 30 minutes apart on one resource: every pair of 60-minute bookings among them overlaps.
      const starts = [slotAt(10 + run, 10), slotAt(10 + run, 10, 30)];
      const results = await Promise.all(
        Array.from({ length: REQUESTS }, (_, i) => book(server, i % 2 ? w.alice : w.bob, w.a, starts[i % 2]!)),
      );
      const byStatus = new Map<number, number>();
      for (const r of results) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
      expect(Object.fromEntries(byStatus), `run ${run}`).toEqual({ 201: 1, 409: REQUESTS - 1 });
      for (const r of results.filter((x) => x.status === 409)) {
        expect((r.body as Problem).code).toBe('BOOKING_SLOT_TAKEN');
      }
      const winner = results.find((r) => r.status === 201)!.body as Booking;
      winners.push(winner.id);
      // The winner's event reaches the vendor's socket before the next race starts.
      await expect.poll(bookingIdsSeen, { timeout: 10_000 }).toContain(winner.id);
    }
    // Exactly one event per race, in order: a lost race writes nothing. The last winner's event is the sentinel, so
    // anything the losers had wrongly appended would have arrived before it.
    expect(bookingIdsSeen()).toEqual(winners);
    const [row] = await server.slotcast.db.query<{ n: number }>(
      "SELECT count(*)::int8 AS n FROM bookings WHERE resource_id = $1 AND status IN ('requested', 'confirmed')",
      [w.a.resource.id],
    );
    expect(row!.n).toBe(RUNS);
  }, 240_000);
});
