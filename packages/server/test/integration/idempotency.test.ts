import type { Booking, Problem } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../support/databases.js';
import { countRows, writeState } from '../support/rows.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { slotAllocator } from '../support/slots.js';
import { api, buildWorld, type Party, type World } from '../support/world.js';

let keys = 0;
const newKey = () => `test-key-${++keys}-${Date.now()}`;

describe.each(DB_KINDS)('idempotency on %s', (kind) => {
  let server: TestServer;
  let w: World;
  let nextSlot: () => string;

  beforeAll(async () => {
    server = await startTestServer(kind);
    w = await buildWorld(server);
    nextSlot = slotAllocator(2);
  });
  afterAll(async () => {
    await server?.close();
  });

  const create = (party: Party, key: string | undefined, body: Record<string, unknown>) =>
    api<Booking & { code?: string }>(server, 'POST', '/bookings', {
      token: party.token,
      body,
      headers: key === undefined ? {} : { 'idempotency-key': key },
    });
  const bookingBody = (startAt = nextSlot()) => ({ resourceId: w.a.resource.id, serviceId: w.a.service.id, startAt });
  const eventsOf = (bookingId: string) => countRows(server, 'events', 'booking_id = $1', [bookingId]);
  const bookingsAt = (startAt: string) =>
    countRows(server, 'bookings', 'resource_id = $1 AND start_at = $2', [w.a.resource.id, startAt]);

  it('answers a retry with the same key and body with the first response, marked idempotent-replayed, writing nothing more', async () => {
    const key = newKey();
    const body = bookingBody();
    const first = await create(w.alice, key, body);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();

    const before = await writeState(server);
    // The same body with its keys in another order is the same request.
    const reordered = { startAt: body.startAt, serviceId: body.serviceId, resourceId: body.resourceId };
    for (const retryBody of [body, reordered]) {
      const retry = await create(w.alice, key, retryBody);
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      // The same body, keys in the same order: a replay is byte for byte the first response.
      expect(JSON.stringify(retry.body)).toBe(JSON.stringify(first.body));
    }
    expect(await writeState(server)).toEqual(before);
    expect(await bookingsAt(body.startAt)).toBe(1);
    expect(await eventsOf(first.body.id)).toBe(1);
  });

  it('keeps answering with the first response after the booking changed', async () => {
    const key = newKey();
    const body = bookingBody();
    const first = await create(w.alice, key, body);
    const cancelled = await api<Booking>(server, 'POST', `/bookings/${first.body.id}/cancel`, {
      token: w.alice.token,
      body: { version: 1 },
    });
    expect(cancelled.body.status).toBe('cancelled');
    const retry = await create(w.alice, key, body);
    expect(retry.body).toEqual(first.body);
    expect(retry.body.status).toBe('requested');
  });

  it('refuses the same key with another body with 422 IDEMPOTENCY_KEY_REUSED and writes nothing', async () => {
    const key = newKey();
    const first = await create(w.alice, key, bookingBody());
    expect(first.status).toBe(201);
    const before = await writeState(server);
    const other = bookingBody();
    const res = await create(w.alice, key, other);
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await writeState(server)).toEqual(before);
    expect(await bookingsAt(other.startAt)).toBe(0);
  });

  it('refuses the same key on another endpoint with 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const key = newKey();
    const created = await create(w.alice, key, bookingBody());
    const res = await api<Problem>(server, 'POST', `/bookings/${created.body.id}/cancel`, {
      token: w.alice.token,
      body: { version: 1 },
      headers: { 'idempotency-key': key },
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await eventsOf(created.body.id)).toBe(1);
  });

  it('scopes keys to the user: another user with the same key makes their own booking', async () => {
    const key = newKey();
    const mine = await create(w.alice, key, bookingBody());
    const theirs = await create(w.bob, key, bookingBody());
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.body.customerId).toBe(w.bob.user.id);
  });

  it('makes one booking from 20 concurrent requests with one key, and gives all 20 the same answer', async () => {
    const key = newKey();
    const body = bookingBody();
    const results = await Promise.all(Array.from({ length: 20 }, () => create(w.alice, key, body)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    for (const r of results) expect(JSON.stringify(r.body)).toBe(JSON.stringify(results[0]!.body));
    expect(results.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(19);
    expect(await bookingsAt(body.startAt)).toBe(1);
    expect(await eventsOf(results[0]!.body.id)).toBe(1);
  });

  it('stores nothing for a refused request, so a retry with the same key runs again', async () => {
    const startAt = nextSlot();
    const blocker = await create(w.bob, undefined, bookingBody(startAt));
    const key = newKey();
    const refused = await create(w.alice, key, bookingBody(startAt));
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('BOOKING_SLOT_TAKEN');
    expect(await countRows(server, 'idempotency_keys', 'key = $1', [key])).toBe(0);

    await api(server, 'POST', `/bookings/${blocker.body.id}/cancel`, { token: w.bob.token, body: { version: 1 } });
    const retry = await create(w.alice, key, bookingBody(startAt));
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
  });

  describe('on a transition', () => {
    const confirm = (b: Booking, key: string | undefined, version = b.version) =>
      api<Booking & { code?: string }>(server, 'POST', `/bookings/${b.id}/confirm`, {
        token: w.a.staff.token,
        body: { version },
        headers: key === undefined ? {} : { 'idempotency-key': key },
      });

    it('replays a retried confirm with its first response and appends one event', async () => {
      const b = (await create(w.alice, undefined, bookingBody())).body;
      const key = newKey();
      const first = await confirm(b, key);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ status: 'confirmed', version: 2 });
      const retry = await confirm(b, key);
      expect(retry.status).toBe(200);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(JSON.stringify(retry.body)).toBe(JSON.stringify(first.body));
      // Without the key the same retry is a stale change.
      const unkeyed = await confirm(b, undefined);
      expect([unkeyed.status, unkeyed.body.code]).toEqual([409, 'BOOKING_VERSION_CONFLICT']);
      const events = await server.slotcast.db.query<{ type: string }>(
        'SELECT type FROM events WHERE booking_id = $1 ORDER BY id',
        [b.id],
      );
      expect(events.map((e) => e.type)).toEqual(['booking.requested', 'booking.confirmed']);
    });

    it('gives 10 concurrent confirms with one key the same 200 and changes the booking once', async () => {
      const b = (await create(w.alice, undefined, bookingBody())).body;
      const key = newKey();
      const results = await Promise.all(Array.from({ length: 10 }, () => confirm(b, key)));
      expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
      for (const r of results) expect(r.body).toEqual(results[0]!.body);
      expect(results[0]!.body.version).toBe(2);
      expect(await eventsOf(b.id)).toBe(2);
    });

    it('refuses the same key with another body (another version) with 422 IDEMPOTENCY_KEY_REUSED', async () => {
      const b = (await create(w.alice, undefined, bookingBody())).body;
      const key = newKey();
      await confirm(b, key);
      const res = await confirm(b, key, 2);
      expect([res.status, res.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
      expect(await eventsOf(b.id)).toBe(2);
    });
  });

  it.each([
    ['too short', 'short'],
    ['too long', 'k'.repeat(201)],
    ['not visible ASCII', 'has a space in it'],
  ])('refuses a key that is %s with 400 IDEMPOTENCY_KEY_INVALID and writes nothing', async (_, key) => {
    const before = await writeState(server);
    const body = bookingBody();
    const res = await create(w.alice, key, body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.code).toBe('IDEMPOTENCY_KEY_INVALID');
    expect(await writeState(server)).toEqual(before);
  });

  it('refuses an invalid key on a transition with 400 IDEMPOTENCY_KEY_INVALID and leaves the booking alone', async () => {
    const b = (await create(w.alice, undefined, bookingBody())).body;
    const res = await api<Problem>(server, 'POST', `/bookings/${b.id}/confirm`, {
      token: w.a.staff.token,
      body: { version: 1 },
      headers: { 'idempotency-key': 'bad' },
    });
    expect([res.status, res.body.code]).toEqual([400, 'IDEMPOTENCY_KEY_INVALID']);
    expect(await eventsOf(b.id)).toBe(1);
  });
});
