import { type Booking, MIN_CLIENT_PROTOCOL_VERSION, PROTOCOL_VERSION } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DB_KINDS } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { bookingEvents, bookingOf, connectError, listen } from '../support/sockets.js';
import { api, book, buildWorld, login, slotAt, type World } from '../support/world.js';

describe.each(DB_KINDS)('realtime gateway on %s: handshake, authorisation, follows and live delivery', (kind) => {
  let server: TestServer;
  let w: World;

  beforeAll(async () => {
    server = await startTestServer(kind);
    w = await buildWorld(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('refuses a handshake without a token with AUTH_REQUIRED', async () => {
    const err = await connectError(server, {});
    expect(err.data?.code).toBe('AUTH_REQUIRED');
  });

  it('refuses a token that is not a string with VALIDATION_FAILED', async () => {
    expect((await connectError(server, { token: 12345 })).data?.code).toBe('VALIDATION_FAILED');
  });

  it('refuses a forged token with AUTH_TOKEN_INVALID', async () => {
    const err = await connectError(server, { token: `${w.alice.token.slice(0, -4)}AAAA` });
    expect(err.data?.code).toBe('AUTH_TOKEN_INVALID');
  });

  it('refuses an expired token with AUTH_TOKEN_EXPIRED', async () => {
    const { token } = await server.slotcast.signer.sign(
      {
        userId: w.alice.user.id,
        role: 'customer',
        vendorId: null,
        isOwner: false,
        sessionId: '00000000-0000-4000-8000-000000000000',
      },
      new Date(Date.now() - 3_600_000),
    );
    const err = await connectError(server, { token });
    expect(err.data?.code).toBe('AUTH_TOKEN_EXPIRED');
  });

  it('refuses the token of a signed-out session with AUTH_TOKEN_INVALID', async () => {
    const s = await login(server, 'bob@test.test');
    await api(server, 'POST', '/auth/logout', { body: { refreshToken: s.refreshToken } });
    const err = await connectError(server, { token: s.token });
    expect(err.data?.code).toBe('AUTH_TOKEN_INVALID');
  });

  it('refuses the signed-out session among several checked at once, and lets the others connect', async () => {
    // Fresh sessions, none checked yet, connecting at once: their checks can share one query.
    const sessions = await Promise.all([1, 2, 3, 4].map(() => login(server, 'bob@test.test')));
    const out = sessions[2]!;
    await api(server, 'POST', '/auth/logout', { body: { refreshToken: out.refreshToken } });
    const [refused, ...live] = await Promise.all([
      connectError(server, { token: out.token }),
      ...sessions.filter((s) => s !== out).map((s) => listen(server, { token: s.token })),
    ]);
    expect(refused.data?.code).toBe('AUTH_TOKEN_INVALID');
    expect(live).toHaveLength(3);
    for (const l of live) {
      expect(l.socket.connected).toBe(true);
      l.close();
    }
  });

  it('refuses a client of a newer protocol with PROTOCOL_SERVER_TOO_OLD, and one older than served with PROTOCOL_CLIENT_TOO_OLD', async () => {
    const newer = await connectError(server, { token: w.alice.token, protocolVersion: PROTOCOL_VERSION + 1 });
    expect(newer.data).toMatchObject({ code: 'PROTOCOL_SERVER_TOO_OLD', message: expect.stringContaining('update') });
    const older = await connectError(server, {
      token: w.alice.token,
      protocolVersion: MIN_CLIENT_PROTOCOL_VERSION - 1,
    });
    expect(older.data).toMatchObject({ code: 'PROTOCOL_CLIENT_TOO_OLD' });
  });

  it('still serves a version 1 client: its handshake, its follow message and version 1 envelopes', async () => {
    // Exactly what a v1 client sends and reads, written out rather than taken from the current schemas.
    const v1 = await listen(server, { token: w.alice.token, protocolVersion: 1 });
    const session = await v1.first<{ protocolVersion: number; role: string }>('session');
    expect(session).toMatchObject({ role: 'customer', protocolVersion: expect.any(Number) });
    const follow = await v1.socket.timeout(5000).emitWithAck('follow', { kind: 'resource', id: w.a.resource.id });
    expect(follow).toEqual({ ok: true, room: `resource:${w.a.resource.id}` });
    const created = (await book(server, w.alice, w.a, slotAt(6, 12))).body as Booking;
    await vi.waitFor(() => expect(bookingEvents(v1.events).some((e) => bookingOf(e).id === created.id)).toBe(true), {
      timeout: 10_000,
    });
    const event = bookingEvents(v1.events).find((e) => bookingOf(e).id === created.id)!;
    expect(event).toMatchObject({ v: 1, type: 'booking.requested', id: expect.any(Number) });
    // Frames as version 1 wrote them: arrays of envelopes.
    expect(v1.frames.every((f) => Array.isArray(f))).toBe(true);
    v1.close();
  });

  it('answers follow:many with one result per target, each checked as a single follow is', async () => {
    const mine = (await book(server, w.alice, w.a, slotAt(6, 13))).body as Booking;
    const bob = await listen(server, { token: w.bob.token });
    const res = await bob.socket.timeout(5000).emitWithAck('follow:many', {
      targets: [
        { kind: 'booking', id: mine.id },
        { kind: 'resource', id: w.a.resource.id },
      ],
    });
    expect(res).toEqual({
      ok: true,
      results: [
        { ok: false, error: expect.objectContaining({ code: 'NOT_FOUND' }) },
        { ok: true, room: `resource:${w.a.resource.id}` },
      ],
    });
    const invalid = await bob.socket.timeout(5000).emitWithAck('follow:many', { targets: [] });
    expect(invalid).toEqual({ ok: false, error: expect.objectContaining({ code: 'VALIDATION_FAILED' }) });
    bob.close();
  });

  it('acknowledges the SDK heartbeat at once, and refuses a malformed one with VALIDATION_FAILED', async () => {
    const bob = await listen(server, { token: w.bob.token });
    expect(await bob.socket.timeout(5000).emitWithAck('heartbeat', {})).toEqual({ ok: true });
    const invalid = await bob.socket.timeout(5000).emitWithAck('heartbeat', { extra: 1 } as never);
    expect(invalid).toEqual({ ok: false, error: expect.objectContaining({ code: 'VALIDATION_FAILED' }) });
    bob.close();
  });

  it('rejects a browser handshake from a foreign Origin', async () => {
    const err = await connectError(
      server,
      { token: w.alice.token },
      { transports: ['polling'], extraHeaders: { origin: 'https://evil.example' } },
    );
    expect(err.message).toMatch(/ORIGIN_NOT_ALLOWED|xhr poll error/);
  });

  it('accepts a browser handshake from its own origin', async () => {
    const l = await listen(
      server,
      { token: w.alice.token },
      { transports: ['polling'], extraHeaders: { origin: server.url } },
    );
    expect(l.socket.connected).toBe(true);
    l.close();
  });

  it('delivers a booking’s status flow to its customer, its vendor’s staff and admins — and to nobody else', async () => {
    const alice = await listen(server, { token: w.alice.token });
    const bob = await listen(server, { token: w.bob.token });
    const staffA = await listen(server, { token: w.a.staff.token });
    const staffB = await listen(server, { token: w.b.staff.token });
    const admin = await listen(server, { token: w.admin.token });

    const created = (await book(server, w.alice, w.a, slotAt(6, 8))).body as Booking;
    await api(server, 'POST', `/bookings/${created.id}/confirm`, { token: w.a.staff.token, body: { version: 1 } });
    await api(server, 'POST', `/bookings/${created.id}/cancel`, {
      token: w.alice.token,
      body: { version: 2, reason: 'ill' },
    });

    // A sentinel: bob's booking with vendor B reaches bob, vendor B's staff and admins after anything of the first.
    const sentinel = (await book(server, w.bob, w.b, slotAt(6, 10))).body as Booking;
    const sentinelArrived = (l: Awaited<ReturnType<typeof listen>>) =>
      vi.waitFor(() => expect(bookingEvents(l.events).some((e) => bookingOf(e).id === sentinel.id)).toBe(true), {
        timeout: 10_000,
      });
    await Promise.all([bob, staffB, admin].map(sentinelArrived));

    const expected = ['booking.requested', 'booking.confirmed', 'booking.cancelled'];
    for (const l of [alice, staffA, admin]) {
      await vi.waitFor(
        () => expect(bookingEvents(l.events).filter((e) => bookingOf(e).id === created.id)).toHaveLength(3),
        { timeout: 10_000 },
      );
      const got = bookingEvents(l.events).filter((e) => bookingOf(e).id === created.id);
      expect(got.map((e) => e.type)).toEqual(expected);
      expect(got.map((e) => bookingOf(e).version)).toEqual([1, 2, 3]);
      expect(got[2]!.data).toMatchObject({ reason: 'ill', previousStatus: 'confirmed', actor: { role: 'customer' } });
      expect(got[0]).toMatchObject({ v: 1, occurredAt: expect.any(String) });
    }
    // Everything about the first booking was emitted before the sentinel, which bob and vendor B's staff have.
    for (const l of [bob, staffB]) expect(l.events.filter((e) => bookingOf(e)?.id === created.id)).toEqual([]);
    expect(bookingEvents(bob.events).map((e) => bookingOf(e).id)).toEqual([sentinel.id]);
    for (const l of [alice, bob, staffA, staffB, admin]) l.close();
  });

  it('works over HTTP long-polling only', async () => {
    const l = await listen(server, { token: w.bob.token }, { transports: ['polling'], upgrade: false });
    expect(l.socket.io.engine.transport.name).toBe('polling');
    const created = (await book(server, w.bob, w.b, slotAt(6, 9))).body as Booking;
    await l.waitFor(1);
    expect(bookingOf(bookingEvents(l.events)[0]!).id).toBe(created.id);
    l.close();
  });

  it('answers follow requests with acks checked against the same rules as REST', async () => {
    const mine = (await book(server, w.alice, w.a, slotAt(6, 11))).body as Booking;
    const bob = await listen(server, { token: w.bob.token });
    const denied = await bob.socket.timeout(5000).emitWithAck('follow', { kind: 'booking', id: mine.id });
    expect(denied).toEqual({ ok: false, error: expect.objectContaining({ code: 'NOT_FOUND' }) });
    const invalid = await bob.socket.timeout(5000).emitWithAck('follow', { kind: 'planet', id: 'x' } as never);
    expect(invalid).toEqual({ ok: false, error: expect.objectContaining({ code: 'VALIDATION_FAILED' }) });
    const ok = await bob.socket.timeout(5000).emitWithAck('follow', { kind: 'resource', id: w.a.resource.id });
    expect(ok).toEqual({ ok: true, room: `resource:${w.a.resource.id}` });

    // A resource's followers see intervals taken and released, without who booked.
    // The booking's own creation may still be on its way to the resource room; wait for the release.
    const notice = new Promise<unknown>((resolve) =>
      bob.socket.on('schedule:changed', (n) => {
        if (n.bookingId === mine.id && n.released.length > 0) resolve(n);
      }),
    );
    await api(server, 'POST', `/bookings/${mine.id}/cancel`, { token: w.alice.token, body: { version: 1 } });
    expect(await notice).toEqual({
      resourceId: w.a.resource.id,
      eventId: expect.any(Number),
      bookingId: mine.id,
      taken: [],
      released: [{ startAt: mine.startAt, endAt: mine.endAt }],
    });
    expect(JSON.stringify(await notice)).not.toContain(w.alice.user.id);
    expect(bookingEvents(bob.events)).toEqual([]);
    bob.close();
  });

  it('closes the sockets of a session when it signs out', async () => {
    const s = await login(server, 'alice@test.test');
    const l = await listen(server, { token: s.token });
    const closing = new Promise<{ code: string }>((resolve) => l.socket.once('closing', resolve));
    const disconnected = new Promise((r) => l.socket.once('disconnect', r));
    await api(server, 'POST', '/auth/logout', { body: { refreshToken: s.refreshToken } });
    expect((await closing).code).toBe('SESSION_REVOKED');
    await disconnected;
  });
});

describe.each(DB_KINDS)('realtime token expiry on %s', (kind) => {
  let server: TestServer;
  let w: World;

  beforeAll(async () => {
    // 10-second access tokens: the server asks for a new one at once (its lead time is a minute).
    server = await startTestServer(kind, { ACCESS_TOKEN_TTL_SECONDS: '10' });
    w = await buildWorld(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('keeps a socket that re-authenticates on auth:expiring, and closes one that does not with AUTH_TOKEN_EXPIRED', async () => {
    const fresh = await login(server, 'alice@test.test');
    const keeper = await listen(server, { token: fresh.token });
    const idler = await listen(server, { token: fresh.token });
    const idlerClosing = idler.first<{ code: string }>('closing');

    await keeper.first('auth:expiring');
    // Renew late, so the new token outlives the first one by several seconds.
    await new Promise((r) => setTimeout(r, 2000));
    const renewed = await api<{ accessToken: string }>(server, 'POST', '/auth/refresh', {
      body: { refreshToken: fresh.refreshToken },
    });
    const ack = await keeper.socket.timeout(5000).emitWithAck('auth:refresh', { token: renewed.body.accessToken });
    expect(ack).toMatchObject({ ok: true, expiresAt: expect.any(String) });
    const foreign = await keeper.socket.timeout(5000).emitWithAck('auth:refresh', { token: w.bob.token });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'AUTH_TOKEN_INVALID' } });

    expect((await idlerClosing).code).toBe('AUTH_TOKEN_EXPIRED');
    // The re-authenticated socket outlived the first token and still receives events.
    expect(keeper.socket.connected).toBe(true);
    const alice = { ...w.alice, token: renewed.body.accessToken };
    const res = await book(server, alice, w.a, slotAt(9, 9));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const created = res.body as Booking;
    await keeper.waitFor(1);
    expect(bookingOf(bookingEvents(keeper.events)[0]!).id).toBe(created.id);
    keeper.close();
  }, 30_000);
});
