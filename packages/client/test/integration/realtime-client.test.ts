import type { BookingEvent, NotificationEvent, ScheduleChanged } from '@slotcast/protocol';
import {
  buildWorld,
  PASSWORD,
  slotAt,
  startTestServer,
  type TestServer,
  type World,
} from '@slotcast/server/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/api-client.js';
import type { ConnectionState } from '../../src/connection-state.js';
import { MemoryCursorStore } from '../../src/cursor-store.js';
import { RealtimeClient } from '../../src/realtime-client.js';

/** A signed-in SDK (REST + realtime) for one of the world's accounts. */
async function signIn(server: TestServer, email: string, opts: { refreshSkewMs?: number } = {}) {
  const api = new ApiClient({ baseUrl: server.url, tokenOptions: { refreshSkewMs: opts.refreshSkewMs } });
  await api.auth.login({ email, password: PASSWORD });
  const cursors = new MemoryCursorStore();
  const realtime = new RealtimeClient({
    url: server.url,
    tokens: api.tokens,
    cursorStore: cursors,
    backoff: { baseMs: 50, capMs: 500 },
  });
  const events: BookingEvent[] = [];
  realtime.onEvent((e) => {
    events.push(e);
  });
  const notifications: NotificationEvent[] = [];
  realtime.onNotificationEvent((e) => {
    notifications.push(e);
  });
  const states: ConnectionState[] = [];
  realtime.subscribeState((s) => states.push(s));
  return { api, realtime, cursors, events, notifications, states };
}
type Sdk = Awaited<ReturnType<typeof signIn>>;

const isConnected = (sdk: Sdk) => () => sdk.realtime.state.status === 'connected';

describe('RealtimeClient against a Slotcast server (pglite)', () => {
  let server: TestServer;
  let w: World;
  const open: Sdk[] = [];

  beforeAll(async () => {
    server = await startTestServer('pglite');
    w = await buildWorld(server);
  });
  afterEach(async () => {
    for (const sdk of open.splice(0)) {
      await sdk.realtime.stop();
      sdk.api.tokens.dispose();
    }
  });
  afterAll(async () => {
    await server?.close();
  });

  async function sdkFor(email: string, opts: { refreshSkewMs?: number; on?: TestServer } = {}) {
    const sdk = await signIn(opts.on ?? server, email, opts);
    open.push(sdk);
    return sdk;
  }

  it('receives a booking’s events live, replays exactly the missed ones once after a disconnect, then goes live again', async () => {
    const alice = await sdkFor('alice@test.test');
    const staff = await sdkFor('staff@vendor-a.test');
    alice.realtime.start();
    await expect.poll(isConnected(alice), { message: 'alice connected' }).toBe(true);

    // Live: alice books, staff confirms.
    const booking = await alice.api.bookings.create({
      resourceId: w.a.resource.id,
      serviceId: w.a.service.id,
      startAt: slotAt(20, 9),
    });
    const confirmed = await staff.api.bookings.transition(booking.id, 'confirm', { version: booking.version });
    await expect.poll(() => alice.events.length, { message: 'two live events' }).toBe(2);
    expect(alice.events.map((e) => [e.type, e.data.booking.version])).toEqual([
      ['booking.requested', 1],
      ['booking.confirmed', 2],
    ]);
    // The confirmation also makes a private notification for alice (an event of another type, after it).
    await expect.poll(() => alice.notifications.length, { message: 'notification' }).toBe(1);
    expect(alice.notifications[0]).toMatchObject({
      type: 'notification.created',
      data: { notification: { bookingId: booking.id, category: 'confirmation' } },
    });
    const cursorBefore = alice.realtime.cursor!;
    expect(cursorBefore).toBe(alice.notifications[0]!.id);
    expect(alice.cursors.get(w.alice.user.id)).toBe(cursorBefore);

    // Offline: everything that happens now is missed, including events alice may not see (bob's booking elsewhere).
    await alice.realtime.stop();
    const moved = await staff.api.bookings.reschedule(booking.id, {
      version: confirmed.version,
      startAt: slotAt(20, 11),
    });
    const second = await alice.api.bookings.create({
      resourceId: w.a.resource2.id,
      serviceId: w.a.service.id,
      startAt: slotAt(20, 9),
    });
    const bob = await sdkFor('bob@test.test');
    await bob.api.bookings.create({ resourceId: w.b.resource.id, serviceId: w.b.service.id, startAt: slotAt(20, 9) });

    // Back: the handshake carries the cursor; the replay brings exactly the two missed booking events of alice's.
    const replayDone = new Promise<number>((resolve) => alice.realtime.on('replayDone', (d) => resolve(d.lastEventId)));
    alice.realtime.start();
    const caughtUpTo = await replayDone;
    await alice.realtime.whenIdle();
    expect(alice.realtime.cursor).toBeGreaterThanOrEqual(caughtUpTo);
    expect(alice.events.slice(2).map((e) => [e.type, e.data.booking.id, e.data.booking.version])).toEqual([
      ['booking.rescheduled', booking.id, moved.version],
      ['booking.requested', second.id, 1],
    ]);

    // Live again.
    await staff.api.bookings.transition(second.id, 'decline', { version: 1, reason: 'closed that day' });
    await expect.poll(() => alice.events.length, { message: 'live after replay' }).toBe(5);
    expect(alice.events[4]).toMatchObject({ type: 'booking.declined', data: { reason: 'closed that day' } });

    // Exactly once, in id order, and exactly alice's events from the log.
    const ids = alice.events.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    const log = await server.slotcast.db.query<{ id: number }>(
      "SELECT id FROM events WHERE customer_id = $1 AND id >= $2 AND type LIKE 'booking.%' ORDER BY id",
      [w.alice.user.id, ids[0]],
    );
    expect(log.map((r) => Number(r.id))).toEqual(ids);
  });

  it('reconnects by itself after the server drops the socket, without losing an event', async () => {
    const alice = await sdkFor('alice@test.test');
    const staff = await sdkFor('staff@vendor-a.test');
    alice.realtime.start();
    await expect.poll(isConnected(alice), { message: 'connected' }).toBe(true);
    const booking = await alice.api.bookings.create({
      resourceId: w.a.resource.id,
      serviceId: w.a.service.id,
      startAt: slotAt(21, 9),
    });
    await expect.poll(() => alice.events.length, { message: 'first event' }).toBe(1);

    server.slotcast.gateway.io.in(`user:${w.alice.user.id}`).disconnectSockets(true);
    // Committed while the socket is down or coming back.
    await staff.api.bookings.transition(booking.id, 'confirm', { version: 1 });
    await expect.poll(() => alice.events.length, { message: 'missed event after reconnect' }).toBe(2);
    expect(alice.events.map((e) => e.type)).toEqual(['booking.requested', 'booking.confirmed']);
    expect(alice.states.some((s) => s.status === 'reconnecting')).toBe(true);
    await expect.poll(isConnected(alice), { message: 'connected again' }).toBe(true);
  });

  it('reconnects with a refreshed token when its access token has expired', async () => {
    const alice = await sdkFor('alice@test.test');
    // The SDK believes its access token fresh, but the server finds it expired.
    const { token: expired } = await server.slotcast.signer.sign(
      {
        userId: w.alice.user.id,
        role: 'customer',
        vendorId: null,
        isOwner: false,
        sessionId: '00000000-0000-4000-8000-000000000000',
      },
      new Date(Date.now() - 3_600_000),
    );
    const pair = alice.api.tokens.session!;
    await alice.api.tokens.setSession({ ...pair, accessToken: expired });
    alice.realtime.start();
    await expect.poll(isConnected(alice), { message: 'connected' }).toBe(true);
    expect(alice.api.tokens.session!.accessToken).not.toBe(expired);
    expect(alice.states.find((s) => s.lastError)?.lastError?.code).toBe('AUTH_TOKEN_EXPIRED');
    expect(alice.states.some((s) => s.nextRetryAt !== null)).toBe(false);
  });

  it('follows a resource and gets its schedule changes without anyone’s personal data', async () => {
    const bob = await sdkFor('bob@test.test');
    const alice = await sdkFor('alice@test.test');
    const notices: ScheduleChanged[] = [];
    bob.realtime.on('scheduleChanged', (n) => {
      notices.push(n);
    });
    bob.realtime.start();
    expect(await bob.realtime.follow({ kind: 'resource', id: w.b.resource2.id })).toEqual({
      ok: true,
      room: `resource:${w.b.resource2.id}`,
    });
    const mine = await alice.api.bookings.create({
      resourceId: w.b.resource2.id,
      serviceId: w.b.service.id,
      startAt: slotAt(22, 9),
    });
    const refused = await bob.realtime.follow({ kind: 'booking', id: mine.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    await expect.poll(() => notices.length, { message: 'schedule notice' }).toBe(1);
    expect(notices[0]).toMatchObject({ resourceId: w.b.resource2.id, bookingId: mine.id, released: [] });
    expect(notices[0]!.taken).toEqual([{ startAt: mine.startAt, endAt: mine.endAt }]);
    expect(bob.events).toEqual([]);
  });

  it('stops with signed-out when the session is signed out elsewhere', async () => {
    const alice = await sdkFor('alice@test.test');
    const signedOut = new Promise<string>((resolve) => alice.realtime.on('signedOut', (e) => resolve(e.code)));
    alice.realtime.start();
    await expect.poll(isConnected(alice), { message: 'connected' }).toBe(true);
    // Another device of the same session signs out (same refresh token, not through this SDK).
    await fetch(`${server.url}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: alice.api.tokens.session!.refreshToken }),
    });
    expect(await signedOut).toBe('SESSION_REVOKED');
    expect(alice.realtime.state.status).toBe('offline');
    expect(alice.api.tokens.session).toBeNull();
  });
});

describe('RealtimeClient across access-token expiry (10 s tokens)', () => {
  let server: TestServer;
  let w: World;

  beforeAll(async () => {
    server = await startTestServer('pglite', { ACCESS_TOKEN_TTL_SECONDS: '10' });
    w = await buildWorld(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('keeps its socket past the first token’s expiry by answering auth:expiring, and still receives events', async () => {
    const alice = await signIn(server, 'alice@test.test', { refreshSkewMs: 2_000 });
    try {
      alice.realtime.start();
      await expect.poll(isConnected(alice), { message: 'connected' }).toBe(true);
      const firstToken = alice.api.tokens.session!.accessToken;
      const firstExpiry = Date.parse(alice.api.tokens.session!.accessTokenExpiresAt);
      const socketsBefore = server.slotcast.gateway.io.sockets.sockets.size;

      await new Promise((r) => setTimeout(r, firstExpiry - Date.now() + 1_500));
      expect(alice.api.tokens.session!.accessToken).not.toBe(firstToken);
      // The same socket, never dropped: no reconnecting state was ever reported.
      expect(alice.states.every((s) => s.status === 'connecting' || s.status === 'connected')).toBe(true);
      expect(server.slotcast.gateway.io.sockets.sockets.size).toBe(socketsBefore);

      await alice.api.bookings.create({
        resourceId: w.a.resource.id,
        serviceId: w.a.service.id,
        startAt: slotAt(23, 9),
      });
      await expect.poll(() => alice.events.length, { message: 'event after expiry' }).toBe(1);
    } finally {
      await alice.realtime.stop();
      alice.api.tokens.dispose();
    }
  }, 40_000);
});
