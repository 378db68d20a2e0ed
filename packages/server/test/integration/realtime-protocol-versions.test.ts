import type { Booking, BookingEventData, EventEnvelope, EventFrame } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DB_KINDS } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { type Listener, listen } from '../support/sockets.js';
import { api, book, buildWorld, slotAt, type World } from '../support/world.js';

const bookingOf = (e: EventEnvelope) => (e.data as BookingEventData).booking;
/** Booking events only: staff also receive their private notification events, made later by a worker. */
const bookingEvents = (l: Listener) => l.events.filter((e) => e.type.startsWith('booking.'));
const isV1 = (f: EventFrame) => Array.isArray(f);
const isV2 = (f: EventFrame) => !Array.isArray(f) && f.v === 2;

async function sentinelArrives(listeners: Listener[], sentinel: Booking) {
  for (const l of listeners) {
    await vi.waitFor(() => expect(bookingEvents(l).some((e) => bookingOf(e).id === sentinel.id)).toBe(true), {
      timeout: 15_000,
    });
  }
}

/** Every event once, in id order (replay and live alike). */
function expectOnceInOrder(l: Listener) {
  const ids = l.events.map((e) => e.id);
  expect(ids).toEqual([...new Set(ids)].sort((a, b) => a - b));
}

describe.each(DB_KINDS)('events frames of protocol 1 and 2 side by side on %s', (kind) => {
  let server: TestServer;
  let w: World;

  beforeAll(async () => {
    server = await startTestServer(kind);
    w = await buildWorld(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('gives protocol 1 clients arrays of envelopes and protocol 2 clients the compact form: the same events, in order, once', async () => {
    // Vendor A's staff three ways (protocol 1, no version named, protocol 2); the customer on protocol 1 alone.
    const staff1 = await listen(server, { token: w.a.staff.token, protocolVersion: 1 });
    const staffUnnamed = await listen(server, { token: w.a.staff.token });
    const staff2 = await listen(server, { token: w.a.staff.token, protocolVersion: 2 });
    const alice1 = await listen(server, { token: w.alice.token, protocolVersion: 1 });
    const all = [staff1, staffUnnamed, staff2, alice1];
    const seed = (await book(server, w.alice, w.a, slotAt(9, 0))).body as Booking;
    await sentinelArrives(all, seed);
    // Following a booking of their own vendor, a socket of each version also gets frames of its own (the union).
    for (const l of [staff1, staff2]) {
      const ack = await l.socket.timeout(5000).emitWithAck('follow', { kind: 'booking', id: seed.id });
      expect(ack).toMatchObject({ ok: true });
    }

    // Concurrent writers, so batches hold several events and rooms get different runs of them.
    await Promise.all([
      api(server, 'POST', `/bookings/${seed.id}/confirm`, { token: w.a.staff.token, body: { version: 1 } }),
      ...Array.from({ length: 12 }, (_, i) => book(server, i % 2 ? w.alice : w.bob, w.a, slotAt(9, 1 + i))),
    ]);
    const sentinel = (await book(server, w.alice, w.a, slotAt(9, 20))).body as Booking;
    await sentinelArrives(all, sentinel);

    const reference = bookingEvents(staff2);
    expect(reference.length).toBeGreaterThanOrEqual(15);
    for (const l of [staff1, staffUnnamed]) expect(bookingEvents(l)).toEqual(reference);
    // The customer's share: her own bookings, the same envelopes.
    const hers = reference.filter((e) => bookingOf(e).customerId === w.alice.user.id);
    expect(bookingEvents(alice1)).toEqual(hers);
    for (const l of all) expectOnceInOrder(l);

    for (const l of [staff1, staffUnnamed, alice1]) expect(l.frames.every(isV1)).toBe(true);
    expect(staff2.frames.every(isV2)).toBe(true);
    // Booking events travel as rows, not as envelopes.
    const rows = staff2.frames.flatMap((f) => (isV2(f) ? (f as { e: unknown[] }).e : [])).filter(Array.isArray);
    expect(rows.length).toBeGreaterThanOrEqual(reference.length);
    for (const l of all) l.close();
  });

  it('replays what a protocol 1 and a protocol 2 client missed, each in its form, then goes on live: the same events, once', async () => {
    const probe = await listen(server, { token: w.a.staff.token, protocolVersion: 2 });
    const seed = (await book(server, w.bob, w.a, slotAt(10, 0))).body as Booking;
    await sentinelArrives([probe], seed);
    const cursor = probe.events.at(-1)!.id;
    probe.close();

    const missed = await Promise.all(
      Array.from({ length: 8 }, (_, i) => book(server, w.alice, w.a, slotAt(10, 1 + i))),
    ).then((rs) => rs.map((r) => (r.body as Booking).id));
    const staff1 = await listen(server, { token: w.a.staff.token, protocolVersion: 1, lastEventId: cursor });
    const staff2 = await listen(server, { token: w.a.staff.token, protocolVersion: 2, lastEventId: cursor });
    const [done1, done2] = await Promise.all([staff1.replayDone, staff2.replayDone]);
    expect(done1.replayed).toBeGreaterThanOrEqual(missed.length);
    expect(done2.replayed).toBeGreaterThanOrEqual(missed.length);
    const sentinel = (await book(server, w.bob, w.a, slotAt(10, 20))).body as Booking;
    await sentinelArrives([staff1, staff2], sentinel);

    const reference = bookingEvents(staff2);
    expect(reference.map((e) => bookingOf(e).id)).toEqual(expect.arrayContaining([...missed, sentinel.id]));
    expect(reference.every((e) => e.id > cursor)).toBe(true);
    expect(bookingEvents(staff1)).toEqual(reference);
    for (const l of [staff1, staff2]) expectOnceInOrder(l);
    expect(staff1.frames.every(isV1)).toBe(true);
    expect(staff2.frames.every(isV2)).toBe(true);
    staff1.close();
    staff2.close();
  });
});
