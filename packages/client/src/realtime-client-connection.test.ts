import { PROTOCOL_VERSION } from '@slotcast/protocol';
import { describe, expect, it } from 'vitest';
import { USER_ID } from '../test/support/fixtures.js';
import { HEARTBEAT_MS, realtimeClientSuite } from '../test/support/realtime-client-suite.js';
import { startRealtimeServer } from '../test/support/realtime-server.js';
import { recordingClock } from '../test/support/recording-clock.js';
import { MemoryCursorStore } from './cursor-store.js';
import { ManualNetworkStatus } from './network-status.js';

describe('RealtimeClient keeps a connection up against a real Socket.IO server', () => {
  const t = realtimeClientSuite();

  it('connects with the token, the protocol version and no cursor the first time, over a WebSocket', async () => {
    const accepted = t.server.nextSocket();
    const c = t.start();
    expect(c.state.status).toBe('connecting');
    await accepted;
    await t.connected();
    expect(t.server.handshakes).toEqual([{ token: 'access-1', protocolVersion: PROTOCOL_VERSION }]);
    expect(c.state).toEqual({
      status: 'connected',
      attempt: 0,
      nextRetryAt: null,
      transport: 'websocket',
      lastError: null,
    });
  });

  it('backs off with full jitter between failed attempts, counting them, until it connects', async () => {
    t.server.refuse = (_auth, n) => (n <= 3 ? new Error('unavailable') : null);
    const clock = recordingClock();
    t.start({ clock });
    await t.connected();
    const waits = t.states.filter((s) => s.nextRetryAt !== null);
    expect(waits.map((s) => [s.status, s.attempt, s.lastError?.code])).toEqual([
      ['connecting', 1, 'NETWORK'],
      ['connecting', 2, 'NETWORK'],
      ['connecting', 3, 'NETWORK'],
    ]);
    // random 0.5 of the ceilings 40, 80, 160.
    expect(t.retryDelays(clock)).toEqual([20, 40, 80]);
    for (const s of waits) expect(s.nextRetryAt! - s.at).toBeLessThanOrEqual(80);
    expect(t.client!.state).toMatchObject({ status: 'connected', attempt: 0, nextRetryAt: null, lastError: null });
    expect(t.server.handshakes).toHaveLength(4);
  });

  it('pauses after maxAttempts (offline) until retryNow()', async () => {
    t.server.refuse = () => new Error('down');
    const clock = recordingClock();
    const c = t.start({ clock, backoff: { baseMs: 10, capMs: 20, maxAttempts: 2 } });
    await expect.poll(() => c.state.status, { message: 'paused' }).toBe('offline');
    expect(c.state).toMatchObject({ status: 'offline', attempt: 2, nextRetryAt: null, lastError: { code: 'NETWORK' } });
    // Paused: no retry is scheduled, so no handshake can come before retryNow().
    expect(clock.pending()).toBe(0);
    expect(t.server.handshakes).toHaveLength(3);
    t.server.refuse = () => null;
    c.retryNow();
    await t.connected();
    expect(t.server.handshakes).toHaveLength(4);
  });

  it('does not retry a handshake the server refuses as malformed (offline until retryNow)', async () => {
    t.server.refuse = (_a, n) => (n === 1 ? { code: 'VALIDATION_FAILED', message: 'auth is not valid' } : null);
    const clock = recordingClock();
    const c = t.start({ clock });
    await expect.poll(() => c.state.status, { message: 'offline' }).toBe('offline');
    expect(c.state).toMatchObject({ nextRetryAt: null, lastError: { code: 'VALIDATION_FAILED' } });
    expect(clock.pending()).toBe(0);
    expect(t.server.handshakes).toHaveLength(1);
    c.retryNow();
    await t.connected();
  });

  it('goes offline when the device does, and reconnects at once when it is back', async () => {
    const network = new ManualNetworkStatus(false);
    const clock = recordingClock();
    const c = t.start({ network, clock });
    expect(c.state).toMatchObject({ status: 'offline', lastError: { code: 'OFFLINE' } });
    // Offline, the client schedules no attempt: it waits for the network to come back.
    expect(clock.pending()).toBe(0);
    expect(t.server.handshakes).toHaveLength(0);
    network.set(true);
    await t.connected();
    network.set(false);
    expect(c.state).toMatchObject({ status: 'offline', transport: null, lastError: { code: 'OFFLINE' } });
    await expect.poll(() => t.server.connected().length, { message: 'server sees the socket gone' }).toBe(0);
    network.set(true);
    await t.connected();
    expect(t.server.handshakes).toHaveLength(2);
  });

  it('sends a heartbeat at the interval it is given, and a new interval applies to the live socket', async () => {
    const accepted = t.server.nextSocket();
    const clock = recordingClock();
    const c = t.start({ clock });
    const s = await accepted;
    let beats = 0;
    s.on('heartbeat', (_payload, ack) => {
      beats++;
      ack({ ok: true });
    });
    await t.connected();
    expect(clock.delays).toEqual([HEARTBEAT_MS]);
    c.setHeartbeat(30);
    await expect.poll(() => beats, { message: 'heartbeats at the new interval' }).toBeGreaterThanOrEqual(3);
    expect(clock.delays.slice(0, 3)).toEqual([HEARTBEAT_MS, 30, 30]);
    expect(c.state.status).toBe('connected');
    expect(t.server.handshakes).toHaveLength(1);
  });

  it('replaces a socket whose heartbeat goes unanswered, with its cursor, so nothing is lost', async () => {
    const cursors = new MemoryCursorStore();
    cursors.set(USER_ID, 7);
    let accepted = t.server.nextSocket();
    const c = t.start({ cursorStore: cursors, ackTimeoutMs: 100 });
    // This socket swallows heartbeats, as a connection that died while the phone slept would.
    await accepted;
    await t.connected();
    accepted = t.server.nextSocket();
    expect(await c.checkNow()).toBe(false);
    const second = await accepted;
    expect(t.server.handshakes[1]).toMatchObject({ lastEventId: 7 });
    expect(t.states.find((s) => s.nextRetryAt !== null)).toMatchObject({
      status: 'reconnecting',
      lastError: { code: 'NETWORK', message: 'heartbeat unanswered' },
    });
    second.on('heartbeat', (_payload, ack) => ack({ ok: true }));
    await t.connected();
    // An answered check keeps the socket.
    expect(await c.checkNow()).toBe(true);
    expect(c.state.status).toBe('connected');
    expect(t.server.handshakes).toHaveLength(2);
  });

  it('spaces the coming reconnect attempts by the back-off it is given', async () => {
    t.server.refuse = (_auth, n) => (n <= 2 ? new Error('unavailable') : null);
    const clock = recordingClock();
    const c = t.start({ clock });
    c.setBackoff({ baseMs: 200, capMs: 300 });
    await t.connected();
    // random 0.5 of the ceilings 200 and 300 (capped), not of the 40 and 80 it started with.
    expect(t.retryDelays(clock)).toEqual([100, 150]);
  });

  it('reports polling-fallback when only HTTP long-polling is allowed', async () => {
    t.start({ socketOptions: { transports: ['polling'] } });
    await expect.poll(() => t.client?.state.status, { message: 'polling-fallback' }).toBe('polling-fallback');
    expect(t.client!.state).toMatchObject({ transport: 'polling', attempt: 0, lastError: null });
  });

  it('reports polling-fallback when the server offers no upgrade, after the grace period', async () => {
    await t.server.close();
    t.server = await startRealtimeServer({ transports: ['polling'] });
    t.start({ socketOptions: { transports: ['polling', 'websocket'] }, upgradeGraceMs: 100 });
    await expect.poll(() => t.client?.state.status, { message: 'connected over polling' }).toBe('connected');
    expect(t.client!.state.transport).toBe('polling');
    await expect.poll(() => t.client?.state.status, { message: 'polling-fallback' }).toBe('polling-fallback');
  });

  it('reports connected over a WebSocket once polling upgrades', async () => {
    t.start({ socketOptions: { transports: ['polling', 'websocket'] }, upgradeGraceMs: 2_000 });
    await expect.poll(() => t.client?.state.transport, { message: 'upgrade' }).toBe('websocket');
    expect(t.client!.state.status).toBe('connected');
    expect(t.states.some((s) => s.status === 'polling-fallback')).toBe(false);
  });

  it('reconnects when the server drains, after the time it names (spread by jitter)', async () => {
    const accepted = t.server.nextSocket();
    const clock = recordingClock();
    t.start({ clock });
    const s = await accepted;
    const again = t.server.nextSocket();
    s.emit('server:draining', { reconnectInMs: 60 });
    await again;
    const waiting = t.states.find((st) => st.nextRetryAt !== null)!;
    expect(waiting).toMatchObject({ status: 'reconnecting', attempt: 0, lastError: { code: 'SERVER_DRAINING' } });
    expect(t.retryDelays(clock)).toEqual([90]); // 60 × (1 + 0.5)
  });
});
