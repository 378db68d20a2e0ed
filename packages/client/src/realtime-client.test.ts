import { type FollowAck, type FollowTarget, PROTOCOL_VERSION } from '@slotcast/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BOOKING_ID, bookingEvent, USER_ID } from '../test/support/fixtures.js';
import { type RealtimeTestServer, type ServerSocket, startRealtimeServer } from '../test/support/realtime-server.js';
import { recordingClock } from '../test/support/recording-clock.js';
import { signedInTokens } from '../test/support/signed-in-tokens.js';
import type { ConnectionState } from './connection-state.js';
import { MemoryCursorStore } from './cursor-store.js';
import { ManualNetworkStatus } from './network-status.js';
import { RealtimeClient } from './realtime-client.js';
import type { RealtimeClientOptions } from './realtime-options.js';
import type { TokenManager } from './token-manager.js';

const OTHER_ID = '66666666-6666-4666-8666-666666666666';
const FORBIDDEN_ID = '77777777-7777-4777-8777-777777777777';
const SILENT_ID = '88888888-8888-4888-8888-888888888888';
/** Tests' heartbeat interval: long enough that only the tests about heartbeats see one. */
const HEARTBEAT_MS = 60_000;

describe('RealtimeClient against a real Socket.IO server', () => {
  let server: RealtimeTestServer;
  let tokens: TokenManager;
  let refreshes: (string | undefined)[];
  let client: RealtimeClient | null = null;
  let states: (ConnectionState & { at: number })[];

  beforeEach(async () => {
    server = await startRealtimeServer();
    ({ tokens, refreshes } = await signedInTokens());
    states = [];
  });
  afterEach(async () => {
    await client?.stop();
    client = null;
    await server.close();
  });

  function start(opts: Partial<RealtimeClientOptions> = {}): RealtimeClient {
    client = new RealtimeClient({
      url: server.url,
      tokens,
      socketOptions: { transports: ['websocket'] },
      backoff: { baseMs: 40, capMs: 400 },
      random: () => 0.5,
      heartbeatMs: HEARTBEAT_MS,
      ...opts,
    });
    client.subscribeState((s) => states.push({ ...s, at: Date.now() }));
    client.start();
    return client;
  }
  /** The delays the client scheduled, less its heartbeats. */
  const retryDelays = (clock: { delays: number[] }) => clock.delays.filter((d) => d !== HEARTBEAT_MS);
  const connected = () => expect.poll(() => client?.state.status, { message: 'connected' }).toBe('connected');

  it('connects with the token, the protocol version and no cursor the first time, over a WebSocket', async () => {
    const accepted = server.nextSocket();
    const c = start();
    expect(c.state.status).toBe('connecting');
    await accepted;
    await connected();
    expect(server.handshakes).toEqual([{ token: 'access-1', protocolVersion: PROTOCOL_VERSION }]);
    expect(c.state).toEqual({
      status: 'connected',
      attempt: 0,
      nextRetryAt: null,
      transport: 'websocket',
      lastError: null,
    });
  });

  it('hands events to subscribers in id order and keeps the cursor per user, past unknown event types', async () => {
    const cursors = new MemoryCursorStore();
    const seen: string[] = [];
    const accepted = server.nextSocket();
    const c = start({ cursorStore: cursors });
    c.onEvent((e) => {
      seen.push(`${e.id} ${e.type}`);
    });
    const s = await accepted;
    await connected();
    s.emit('events', [bookingEvent(1, 'booking.requested'), bookingEvent(2)]);
    s.emit('events', [{ v: 1, id: 3, type: 'invoice.paid', occurredAt: '2030-01-01T00:00:00Z', data: {} }]);
    await expect.poll(() => c.cursor, { message: 'cursor 3' }).toBe(3);
    await c.whenIdle();
    expect(seen).toEqual(['1 booking.requested', '2 booking.confirmed']);
    expect(cursors.get(USER_ID)).toBe(3);
  });

  it('reconnects with its cursor after the server drops it and hands over exactly the missed events, once', async () => {
    const cursors = new MemoryCursorStore();
    cursors.set(USER_ID, 2);
    const seen: number[] = [];
    let accepted = server.nextSocket();
    const clock = recordingClock();
    const c = start({ cursorStore: cursors, clock });
    c.onEvent((e) => {
      seen.push(e.id);
    });
    const first = await accepted;
    expect(server.handshakes[0]!.lastEventId).toBe(2);
    first.emit('events', [bookingEvent(2), bookingEvent(3), bookingEvent(4)]);
    await expect.poll(() => c.cursor, { message: 'cursor 4' }).toBe(4);

    accepted = server.nextSocket();
    first.disconnect(true);
    const second = await accepted;
    expect(server.handshakes[1]).toEqual({ token: 'access-1', protocolVersion: PROTOCOL_VERSION, lastEventId: 4 });
    // The replay overlaps what was already handled; live events follow.
    second.emit('events', [bookingEvent(3), bookingEvent(4), bookingEvent(5)]);
    second.emit('replay:done', { lastEventId: 5, replayed: 3 });
    second.emit('events', [bookingEvent(5), bookingEvent(6)]);
    await expect.poll(() => c.cursor, { message: 'cursor 6' }).toBe(6);
    expect(seen).toEqual([3, 4, 5, 6]);
    expect(cursors.get(USER_ID)).toBe(6);
    const waiting = states.find((s) => s.nextRetryAt !== null)!;
    expect(waiting).toMatchObject({ status: 'reconnecting', attempt: 1, lastError: { code: 'SERVER_DISCONNECT' } });
    expect(retryDelays(clock)).toEqual([20]);
  });

  it('moves the cursor to replay:done’s lastEventId when nothing visible was missed', async () => {
    const accepted = server.nextSocket();
    const c = start();
    const done: number[] = [];
    c.on('replayDone', (info) => {
      done.push(info.lastEventId);
    });
    (await accepted).emit('replay:done', { lastEventId: 42, replayed: 0 });
    await expect.poll(() => done.length, { message: 'replayDone' }).toBe(1);
    expect(c.cursor).toBe(42);
  });

  it('backs off with full jitter between failed attempts, counting them, until it connects', async () => {
    server.refuse = (_auth, n) => (n <= 3 ? new Error('unavailable') : null);
    const clock = recordingClock();
    start({ clock });
    await connected();
    const waits = states.filter((s) => s.nextRetryAt !== null);
    expect(waits.map((s) => [s.status, s.attempt, s.lastError?.code])).toEqual([
      ['connecting', 1, 'NETWORK'],
      ['connecting', 2, 'NETWORK'],
      ['connecting', 3, 'NETWORK'],
    ]);
    // random 0.5 of the ceilings 40, 80, 160.
    expect(retryDelays(clock)).toEqual([20, 40, 80]);
    for (const s of waits) expect(s.nextRetryAt! - s.at).toBeLessThanOrEqual(80);
    expect(client!.state).toMatchObject({ status: 'connected', attempt: 0, nextRetryAt: null, lastError: null });
    expect(server.handshakes).toHaveLength(4);
  });

  it('pauses after maxAttempts (offline) until retryNow()', async () => {
    server.refuse = () => new Error('down');
    const clock = recordingClock();
    const c = start({ clock, backoff: { baseMs: 10, capMs: 20, maxAttempts: 2 } });
    await expect.poll(() => c.state.status, { message: 'paused' }).toBe('offline');
    expect(c.state).toMatchObject({ status: 'offline', attempt: 2, nextRetryAt: null, lastError: { code: 'NETWORK' } });
    // Paused: no retry is scheduled, so no handshake can come before retryNow().
    expect(clock.pending()).toBe(0);
    expect(server.handshakes).toHaveLength(3);
    server.refuse = () => null;
    c.retryNow();
    await connected();
    expect(server.handshakes).toHaveLength(4);
  });

  it('does not retry a handshake the server refuses as malformed (offline until retryNow)', async () => {
    server.refuse = (_a, n) => (n === 1 ? { code: 'VALIDATION_FAILED', message: 'auth is not valid' } : null);
    const clock = recordingClock();
    const c = start({ clock });
    await expect.poll(() => c.state.status, { message: 'offline' }).toBe('offline');
    expect(c.state).toMatchObject({ nextRetryAt: null, lastError: { code: 'VALIDATION_FAILED' } });
    expect(clock.pending()).toBe(0);
    expect(server.handshakes).toHaveLength(1);
    c.retryNow();
    await connected();
  });

  it('goes offline when the device does, and reconnects at once when it is back', async () => {
    const network = new ManualNetworkStatus(false);
    const clock = recordingClock();
    const c = start({ network, clock });
    expect(c.state).toMatchObject({ status: 'offline', lastError: { code: 'OFFLINE' } });
    // Offline, the client schedules no attempt: it waits for the network to come back.
    expect(clock.pending()).toBe(0);
    expect(server.handshakes).toHaveLength(0);
    network.set(true);
    await connected();
    network.set(false);
    expect(c.state).toMatchObject({ status: 'offline', transport: null, lastError: { code: 'OFFLINE' } });
    await expect.poll(() => server.connected().length, { message: 'server sees the socket gone' }).toBe(0);
    network.set(true);
    await connected();
    expect(server.handshakes).toHaveLength(2);
  });

  it('sends a heartbeat at the interval it is given, and a new interval applies to the live socket', async () => {
    const accepted = server.nextSocket();
    const clock = recordingClock();
    const c = start({ clock });
    const s = await accepted;
    let beats = 0;
    s.on('heartbeat', (_payload, ack) => {
      beats++;
      ack({ ok: true });
    });
    await connected();
    expect(clock.delays).toEqual([HEARTBEAT_MS]);
    c.setHeartbeat(30);
    await expect.poll(() => beats, { message: 'heartbeats at the new interval' }).toBeGreaterThanOrEqual(3);
    expect(clock.delays.slice(0, 3)).toEqual([HEARTBEAT_MS, 30, 30]);
    expect(c.state.status).toBe('connected');
    expect(server.handshakes).toHaveLength(1);
  });

  it('replaces a socket whose heartbeat goes unanswered, with its cursor, so nothing is lost', async () => {
    const cursors = new MemoryCursorStore();
    cursors.set(USER_ID, 7);
    let accepted = server.nextSocket();
    const c = start({ cursorStore: cursors, ackTimeoutMs: 100 });
    // This socket swallows heartbeats, as a connection that died while the phone slept would.
    await accepted;
    await connected();
    accepted = server.nextSocket();
    expect(await c.checkNow()).toBe(false);
    const second = await accepted;
    expect(server.handshakes[1]).toMatchObject({ lastEventId: 7 });
    expect(states.find((s) => s.nextRetryAt !== null)).toMatchObject({
      status: 'reconnecting',
      lastError: { code: 'NETWORK', message: 'heartbeat unanswered' },
    });
    second.on('heartbeat', (_payload, ack) => ack({ ok: true }));
    await connected();
    // An answered check keeps the socket.
    expect(await c.checkNow()).toBe(true);
    expect(c.state.status).toBe('connected');
    expect(server.handshakes).toHaveLength(2);
  });

  it('spaces the coming reconnect attempts by the back-off it is given', async () => {
    server.refuse = (_auth, n) => (n <= 2 ? new Error('unavailable') : null);
    const clock = recordingClock();
    const c = start({ clock });
    c.setBackoff({ baseMs: 200, capMs: 300 });
    await connected();
    // random 0.5 of the ceilings 200 and 300 (capped), not of the 40 and 80 it started with.
    expect(retryDelays(clock)).toEqual([100, 150]);
  });

  it('reports polling-fallback when only HTTP long-polling is allowed', async () => {
    start({ socketOptions: { transports: ['polling'] } });
    await expect.poll(() => client?.state.status, { message: 'polling-fallback' }).toBe('polling-fallback');
    expect(client!.state).toMatchObject({ transport: 'polling', attempt: 0, lastError: null });
  });

  it('reports polling-fallback when the server offers no upgrade, after the grace period', async () => {
    await server.close();
    server = await startRealtimeServer({ transports: ['polling'] });
    start({ socketOptions: { transports: ['polling', 'websocket'] }, upgradeGraceMs: 100 });
    await expect.poll(() => client?.state.status, { message: 'connected over polling' }).toBe('connected');
    expect(client!.state.transport).toBe('polling');
    await expect.poll(() => client?.state.status, { message: 'polling-fallback' }).toBe('polling-fallback');
  });

  it('reports connected over a WebSocket once polling upgrades', async () => {
    start({ socketOptions: { transports: ['polling', 'websocket'] }, upgradeGraceMs: 2_000 });
    await expect.poll(() => client?.state.transport, { message: 'upgrade' }).toBe('websocket');
    expect(client!.state.status).toBe('connected');
    expect(states.some((s) => s.status === 'polling-fallback')).toBe(false);
  });

  it('refreshes the token once and reconnects at once on AUTH_TOKEN_EXPIRED', async () => {
    server.refuse = (auth) => (auth.token === 'access-1' ? { code: 'AUTH_TOKEN_EXPIRED', message: 'expired' } : null);
    start();
    await connected();
    expect(server.handshakes.map((h) => h.token)).toEqual(['access-1', 'access-2']);
    expect(refreshes).toEqual(['refresh-token-1']);
    expect(states.some((s) => s.nextRetryAt !== null)).toBe(false);
  });

  it('stops and reports signed-out on AUTH_TOKEN_INVALID', async () => {
    server.refuse = () => ({ code: 'AUTH_TOKEN_INVALID', message: 'The session was revoked' });
    const signedOut: string[] = [];
    tokens.on('signedOut', (e) => {
      signedOut.push(`tokens ${e.reason}`);
    });
    const clock = recordingClock();
    const c = start({ clock });
    c.on('signedOut', (e) => {
      signedOut.push(`realtime ${e.code}`);
    });
    await expect.poll(() => signedOut.length, { message: 'signed out' }).toBe(2);
    expect(signedOut).toEqual(['tokens token-invalid', 'realtime AUTH_TOKEN_INVALID']);
    expect(c.state).toMatchObject({ status: 'offline', nextRetryAt: null, lastError: { code: 'AUTH_TOKEN_INVALID' } });
    expect(tokens.session).toBeNull();
    expect(clock.pending()).toBe(0);
    expect(server.handshakes).toHaveLength(1);
  });

  it('answers auth:expiring with auth:refresh and a fresh token on the same socket', async () => {
    const accepted = server.nextSocket();
    start();
    const s = await accepted;
    const sent: string[] = [];
    s.on('auth:refresh', (req, ack) => {
      sent.push(req.token);
      ack({ ok: true, expiresAt: new Date(Date.now() + 900_000).toISOString() });
    });
    s.emit('auth:expiring', { expiresAt: new Date(Date.now() + 200).toISOString() });
    await expect.poll(() => sent.length, { message: 'auth:refresh' }).toBe(1);
    expect(sent).toEqual(['access-2']);
    expect(refreshes).toHaveLength(1);
    // Sentinel: an event sent after the ack reaches the client on the same socket, which is still open.
    s.emit('events', [bookingEvent(7)]);
    await expect.poll(() => client?.cursor, { message: 'event after the refresh' }).toBe(7);
    expect(s.connected).toBe(true);
    expect(server.handshakes).toHaveLength(1);
  });

  it('reconnects with the fresh token when the server refuses auth:refresh', async () => {
    const accepted = server.nextSocket();
    start();
    const s = await accepted;
    s.on('auth:refresh', (_req, ack) => ack({ ok: false, error: { code: 'AUTH_TOKEN_INVALID', message: 'nope' } }));
    s.emit('auth:expiring', { expiresAt: new Date(Date.now() + 50).toISOString() });
    await expect.poll(() => server.handshakes.length, { message: 'reconnect' }).toBe(2);
    expect(server.handshakes[1]!.token).toBe('access-2');
  });

  it('reconnects at once with a fresh token when the server closes the socket for an expired token', async () => {
    const accepted = server.nextSocket();
    start();
    const s = await accepted;
    const again = server.nextSocket();
    s.emit('closing', { code: 'AUTH_TOKEN_EXPIRED', message: 'expired' });
    await again;
    expect(server.handshakes.map((h) => h.token)).toEqual(['access-1', 'access-2']);
    expect(states.some((st) => st.nextRetryAt !== null)).toBe(false);
  });

  it('signs out when the server closes the socket for a revoked session', async () => {
    const accepted = server.nextSocket();
    const c = start();
    const s = await accepted;
    s.emit('closing', { code: 'SESSION_REVOKED', message: 'signed out elsewhere' });
    await expect.poll(() => c.state.status, { message: 'offline' }).toBe('offline');
    expect(c.state.lastError?.code).toBe('SESSION_REVOKED');
    expect(tokens.session).toBeNull();
  });

  it('reconnects when the server drains, after the time it names (spread by jitter)', async () => {
    const accepted = server.nextSocket();
    const clock = recordingClock();
    start({ clock });
    const s = await accepted;
    const again = server.nextSocket();
    s.emit('server:draining', { reconnectInMs: 60 });
    await again;
    const waiting = states.find((st) => st.nextRetryAt !== null)!;
    expect(waiting).toMatchObject({ status: 'reconnecting', attempt: 0, lastError: { code: 'SERVER_DRAINING' } });
    expect(retryDelays(clock)).toEqual([90]); // 60 × (1 + 0.5)
  });

  it('awaits resync listeners, then continues from latestEventId', async () => {
    const cursors = new MemoryCursorStore();
    cursors.set(USER_ID, 5);
    const order: string[] = [];
    const accepted = server.nextSocket();
    const c = start({ cursorStore: cursors });
    c.on('resync', async (info) => {
      order.push(`resync from ${c.cursor} to ${info.latestEventId}`);
      await new Promise((r) => setTimeout(r, 30));
      order.push('snapshot reloaded');
    });
    c.onEvent((e) => {
      order.push(`event ${e.id}`);
    });
    const s = await accepted;
    s.emit('resync:required', { code: 'RESYNC_REQUIRED', message: 'too old', oldestEventId: 50, latestEventId: 60 });
    s.emit('events', [bookingEvent(60), bookingEvent(61)]);
    await expect.poll(() => c.cursor, { message: 'cursor 61' }).toBe(61);
    expect(order).toEqual(['resync from 5 to 60', 'snapshot reloaded', 'event 61']);
    expect(cursors.get(USER_ID)).toBe(61);
  });

  it.each(['PROTOCOL_CLIENT_TOO_OLD', 'PROTOCOL_SERVER_TOO_OLD'] as const)(
    'stops reconnecting and reports incompatible when the handshake is refused with %s',
    async (code) => {
      server.refuse = () => ({ code, message: 'versions differ' });
      const c = start();
      await expect.poll(() => c.state.status).toBe('incompatible');
      expect(c.state.lastError).toEqual({ code, message: 'versions differ' });
      expect(c.state.nextRetryAt).toBeNull();
      // A server too old for protocol 2 is asked once more, for 1, before the client gives up.
      const asked = code === 'PROTOCOL_SERVER_TOO_OLD' ? [PROTOCOL_VERSION, 1] : [PROTOCOL_VERSION];
      expect(server.handshakes.map((h) => h.protocolVersion)).toEqual(asked);
      // Nothing is scheduled: a later handshake only comes from retryNow().
      server.refuse = () => null;
      const accepted = server.nextSocket();
      c.retryNow();
      await accepted;
      expect(server.handshakes).toHaveLength(asked.length + 1);
    },
  );

  it('stops with PROTOCOL_CLIENT_TOO_OLD on an events frame of a newer protocol, without handling it', async () => {
    const accepted = server.nextSocket();
    const c = start();
    const seen: number[] = [];
    c.onEnvelope((e) => void seen.push(e.id));
    const s = await accepted;
    await connected();
    s.emit('events', [bookingEvent(1)]);
    s.emit('events', [{ ...bookingEvent(2), v: 2 } as never]);
    await expect.poll(() => c.state.status).toBe('incompatible');
    expect(c.state.lastError?.code).toBe('PROTOCOL_CLIENT_TOO_OLD');
    expect(seen).toEqual([1]);
  });

  describe('follows', () => {
    let follows: string[];
    /** How many follow:many messages arrived (a reconnect re-sends every follow in one). */
    let manyMessages: number;
    beforeEach(() => {
      follows = [];
      manyMessages = 0;
      const answer = (s: ServerSocket, t: FollowTarget): FollowAck => {
        follows.push(`${s.id.slice(0, 4)} ${t.kind}:${t.id.slice(0, 4)}`);
        return t.id === FORBIDDEN_ID
          ? { ok: false, error: { code: 'FORBIDDEN', message: 'not yours' } }
          : { ok: true, room: `${t.kind}:${t.id}` };
      };
      server.io.on('connection', (s: ServerSocket) => {
        s.on('follow', (t, ack) => {
          if (t.id === SILENT_ID) return void follows.push(`${s.id.slice(0, 4)} ${t.kind}:${t.id.slice(0, 4)}`);
          ack(answer(s, t));
        });
        s.on('follow:many', ({ targets }, ack) => {
          manyMessages++;
          ack({ ok: true, results: targets.map((t) => answer(s, t)) });
        });
        s.on('unfollow', (t, ack) => ack({ ok: true, room: `${t.kind}:${t.id}` }));
      });
    });
    const booking: FollowTarget = { kind: 'booking', id: BOOKING_ID };
    const resource: FollowTarget = { kind: 'resource', id: OTHER_ID };

    it('answers a follow asked before the connection once it is up, and acks the next ones', async () => {
      const c = start();
      const early = c.follow(booking);
      expect(await early).toEqual({ ok: true, room: `booking:${BOOKING_ID}` });
      expect(await c.follow(resource)).toEqual({ ok: true, room: `resource:${OTHER_ID}` });
      expect(c.following()).toEqual([booking, resource]);
    });

    it('sends every follow again after a reconnect', async () => {
      const accepted = server.nextSocket();
      const c = start();
      await c.follow(booking);
      await c.follow(resource);
      const first = await accepted;
      const again = server.nextSocket();
      first.disconnect(true);
      const second = await again;
      await expect.poll(() => follows.length, { message: 'follows re-sent' }).toBe(4);
      const prefix = second.id.slice(0, 4);
      expect(follows.slice(2).sort()).toEqual([`${prefix} booking:5555`, `${prefix} resource:6666`]);
      // One follow:many per connection: the first answered the follow asked before it was up.
      expect(manyMessages).toBe(2);
    });

    it('returns a coded error for a refused follow and drops it', async () => {
      const c = start();
      const res = await c.follow({ kind: 'booking', id: FORBIDDEN_ID });
      expect(res).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'not yours' } });
      expect(c.following()).toEqual([]);
    });

    it('times out a follow the server does not acknowledge, and keeps it for the next connection', async () => {
      const c = start({ ackTimeoutMs: 100 });
      await connected();
      const res = await c.follow({ kind: 'booking', id: SILENT_ID });
      expect(res).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
      expect(c.following()).toHaveLength(1);
    });

    it('refuses a malformed target without sending it, and unfollows with an ack', async () => {
      const c = start();
      await connected();
      expect(await c.follow({ kind: 'booking', id: 'nope' })).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED' },
      });
      await c.follow(booking);
      expect(await c.unfollow(booking)).toEqual({ ok: true, room: `booking:${BOOKING_ID}` });
      expect(c.following()).toEqual([]);
      expect(follows).toHaveLength(1);
    });
  });
});
