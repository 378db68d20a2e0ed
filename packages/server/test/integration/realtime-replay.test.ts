import type { Booking } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DB_KINDS } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { bookingEvents, bookingOf, listen } from '../support/sockets.js';
import { api, book, buildWorld, slotAt, type World } from '../support/world.js';

describe.each(DB_KINDS)('realtime replay on %s: missed events after a reconnect, and resync', (kind) => {
  let server: TestServer;
  let w: World;

  beforeAll(async () => {
    server = await startTestServer(kind);
    w = await buildWorld(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('replays exactly the missed events, in order, while 500 are committed concurrently (some during the reconnect)', async () => {
    // The staff listener of vendor A sees every booking of vendor A; vendor B's events are noise it must not get.
    const first = await listen(server, { token: w.a.staff.token });
    const seed = (await book(server, w.alice, w.a, slotAt(7, 0))).body as Booking;
    // The seed's booking event and this staff member's private notification of it, so the cursor is past both.
    await first.waitFor(2);
    const seen = bookingEvents(first.events)[0]!;
    expect(bookingOf(seen).id).toBe(seed.id);
    const cursor = first.events.at(-1)!.id;
    first.close();

    // 500 bookings by 10 concurrent writers on both vendors, on distinct slots (two resources × days × half hours).
    const jobs = Array.from({ length: 500 }, (_, i) => ({
      v: i % 2 ? w.a : w.b,
      customer: i % 3 ? w.alice : w.bob,
      resource: Math.floor(i / 2) % 2 ? 'resource' : 'resource2',
      start: slotAt(8 + Math.floor(i / 192), Math.floor((i % 192) / 8), 0),
      i,
    }));
    // Make every job's slot unique: (vendor, resource, day, hour) from i.
    const unique = jobs.map((j) => ({ ...j, start: slotAt(8 + Math.floor(j.i / 96), Math.floor((j.i % 96) / 4)) }));
    let next = 0;
    const created: Booking[] = [];
    const writer = async () => {
      while (next < unique.length) {
        const j = unique[next++]!;
        const res = await api<Booking>(server, 'POST', '/bookings', {
          token: j.customer.token,
          body: {
            resourceId: j.v[j.resource as 'resource' | 'resource2'].id,
            serviceId: j.v.service.id,
            startAt: j.start,
          },
        });
        expect(res.status).toBe(201);
        created.push(res.body);
      }
    };
    const writers = Array.from({ length: 10 }, writer);
    // Reconnect while the writers are busy.
    await vi.waitFor(() => expect(created.length).toBeGreaterThanOrEqual(20), { timeout: 20_000 });
    const again = await listen(server, { token: w.a.staff.token, lastEventId: cursor });
    await Promise.all(writers);
    const mineCount = created.filter((b) => b.vendorId === w.a.vendor.id).length;
    expect(mineCount).toBe(250);
    // Each booking of vendor A also makes a private notification for each of its two staff members (one is us).
    await again.waitFor(mineCount * 2, 20_000);
    // A sentinel after the writers: its booking event and its notification come after everything above, so once they
    // are here anything sent twice would be too.
    const sentinel = (await book(server, w.bob, w.a, slotAt(7, 1))).body as Booking;
    await again.waitFor(mineCount * 2 + 2, 20_000);
    const all = again.events;
    const allIds = all.map((e) => e.id);
    expect(new Set(allIds).size).toBe(allIds.length);
    expect([...allIds].sort((a, b) => a - b)).toEqual(allIds);
    expect(all.length - bookingEvents(all).length).toBe(mineCount + 1);
    const got = bookingEvents(all).filter((e) => bookingOf(e).id !== sentinel.id);
    const ids = got.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(ids.every((id) => id > cursor)).toBe(true);
    expect(got.every((e) => bookingOf(e).vendorId === w.a.vendor.id)).toBe(true);
    expect(new Set(got.map((e) => bookingOf(e).id))).toEqual(
      new Set(created.filter((b) => b.vendorId === w.a.vendor.id).map((b) => b.id)),
    );
    const done = await again.replayDone;
    expect(done.lastEventId).toBeGreaterThanOrEqual(cursor);
    again.close();
    // 500 bookings through the API on a shared machine; the time is the writers', not what is asserted.
  }, 180_000);

  it('replays to a customer, a staff member and an admin exactly the missed booking events each may see', async () => {
    // Where the three were live from: the position they would have reconnected with.
    const watcher = await listen(server, { token: w.admin.token });
    const cursor = (await watcher.replayDone).lastEventId;
    // Day 16: no other test books there, so every booking below is created (the 500-booking test fills days 8–13).

    const mine = (await book(server, w.alice, w.a, slotAt(16, 8))).body as Booking;
    await api(server, 'POST', `/bookings/${mine.id}/confirm`, { token: w.a.staff.token, body: { version: 1 } });
    const other = (await book(server, w.bob, w.b, slotAt(16, 9))).body as Booking;
    // All three are in the log and emitted before anyone reconnects, so they come back by replay.
    await vi.waitFor(() => expect(bookingEvents(watcher.events).some((e) => bookingOf(e).id === other.id)).toBe(true), {
      timeout: 10_000,
    });
    watcher.close();

    const readers = {
      alice: await listen(server, { token: w.alice.token, lastEventId: cursor }),
      staffA: await listen(server, { token: w.a.staff.token, lastEventId: cursor }),
      admin: await listen(server, { token: w.admin.token, lastEventId: cursor }),
    };
    // A sentinel all three may see, committed after the replays: once it is here, nothing else is still coming.
    const sentinel = (await book(server, w.alice, w.a, slotAt(16, 10))).body as Booking;
    for (const l of Object.values(readers)) {
      await vi.waitFor(() => expect(bookingEvents(l.events).some((e) => bookingOf(e).id === sentinel.id)).toBe(true), {
        timeout: 10_000,
      });
    }
    const seen = (l: Awaited<ReturnType<typeof listen>>) =>
      bookingEvents(l.events)
        .filter((e) => bookingOf(e).id !== sentinel.id)
        .map((e) => `${e.type} ${bookingOf(e).id}`);
    const ofMine = [`booking.requested ${mine.id}`, `booking.confirmed ${mine.id}`];
    expect(seen(readers.alice)).toEqual(ofMine);
    expect(seen(readers.staffA)).toEqual(ofMine);
    expect(seen(readers.admin)).toEqual([...ofMine, `booking.requested ${other.id}`]);
    for (const l of Object.values(readers)) {
      expect(l.events.every((e) => e.id > cursor)).toBe(true);
      l.close();
    }
  });

  it('asks for a resync when the cursor is older than the retention window', async () => {
    for (let i = 0; i < 6; i++) expect((await book(server, w.alice, w.b, slotAt(30, 10 + i))).status).toBe(201);
    await server.slotcast.db.query('UPDATE event_log_state SET pruned_through = 5');
    const l = await listen(server, { token: w.alice.token, lastEventId: 2 });
    const info = await l.resync;
    expect(info).toMatchObject({ code: 'RESYNC_REQUIRED', oldestEventId: 6 });
    expect(info.latestEventId).toBeGreaterThan(5);
    await server.slotcast.db.query('UPDATE event_log_state SET pruned_through = 0');
    l.close();
  });
});
