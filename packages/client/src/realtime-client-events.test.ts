import { type FollowAck, type FollowTarget, PROTOCOL_VERSION } from '@slotcast/protocol';
import { beforeEach, describe, expect, it } from 'vitest';
import { BOOKING_ID, bookingEvent, USER_ID } from '../test/support/fixtures.js';
import { realtimeClientSuite } from '../test/support/realtime-client-suite.js';
import type { ServerSocket } from '../test/support/realtime-server.js';
import { recordingClock } from '../test/support/recording-clock.js';
import { MemoryCursorStore } from './cursor-store.js';

const OTHER_ID = '66666666-6666-4666-8666-666666666666';
const FORBIDDEN_ID = '77777777-7777-4777-8777-777777777777';
const SILENT_ID = '88888888-8888-4888-8888-888888888888';

describe('RealtimeClient hands over events and follows against a real Socket.IO server', () => {
  const t = realtimeClientSuite();

  it('hands events to subscribers in id order and keeps the cursor per user, past unknown event types', async () => {
    const cursors = new MemoryCursorStore();
    const seen: string[] = [];
    const accepted = t.server.nextSocket();
    const c = t.start({ cursorStore: cursors });
    c.onEvent((e) => {
      seen.push(`${e.id} ${e.type}`);
    });
    const s = await accepted;
    await t.connected();
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
    let accepted = t.server.nextSocket();
    const clock = recordingClock();
    const c = t.start({ cursorStore: cursors, clock });
    c.onEvent((e) => {
      seen.push(e.id);
    });
    const first = await accepted;
    expect(t.server.handshakes[0]!.lastEventId).toBe(2);
    first.emit('events', [bookingEvent(2), bookingEvent(3), bookingEvent(4)]);
    await expect.poll(() => c.cursor, { message: 'cursor 4' }).toBe(4);

    accepted = t.server.nextSocket();
    first.disconnect(true);
    const second = await accepted;
    expect(t.server.handshakes[1]).toEqual({ token: 'access-1', protocolVersion: PROTOCOL_VERSION, lastEventId: 4 });
    // The replay overlaps what was already handled; live events follow.
    second.emit('events', [bookingEvent(3), bookingEvent(4), bookingEvent(5)]);
    second.emit('replay:done', { lastEventId: 5, replayed: 3 });
    second.emit('events', [bookingEvent(5), bookingEvent(6)]);
    await expect.poll(() => c.cursor, { message: 'cursor 6' }).toBe(6);
    expect(seen).toEqual([3, 4, 5, 6]);
    expect(cursors.get(USER_ID)).toBe(6);
    const waiting = t.states.find((s) => s.nextRetryAt !== null)!;
    expect(waiting).toMatchObject({ status: 'reconnecting', attempt: 1, lastError: { code: 'SERVER_DISCONNECT' } });
    expect(t.retryDelays(clock)).toEqual([20]);
  });

  it('moves the cursor to replay:done’s lastEventId when nothing visible was missed', async () => {
    const accepted = t.server.nextSocket();
    const c = t.start();
    const done: number[] = [];
    c.on('replayDone', (info) => {
      done.push(info.lastEventId);
    });
    (await accepted).emit('replay:done', { lastEventId: 42, replayed: 0 });
    await expect.poll(() => done.length, { message: 'replayDone' }).toBe(1);
    expect(c.cursor).toBe(42);
  });

  it('awaits resync listeners, then continues from latestEventId', async () => {
    const cursors = new MemoryCursorStore();
    cursors.set(USER_ID, 5);
    const order: string[] = [];
    const accepted = t.server.nextSocket();
    const c = t.start({ cursorStore: cursors });
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
      t.server.io.on('connection', (s: ServerSocket) => {
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
      const c = t.start();
      const early = c.follow(booking);
      expect(await early).toEqual({ ok: true, room: `booking:${BOOKING_ID}` });
      expect(await c.follow(resource)).toEqual({ ok: true, room: `resource:${OTHER_ID}` });
      expect(c.following()).toEqual([booking, resource]);
    });

    it('sends every follow again after a reconnect', async () => {
      const accepted = t.server.nextSocket();
      const c = t.start();
      await c.follow(booking);
      await c.follow(resource);
      const first = await accepted;
      const again = t.server.nextSocket();
      first.disconnect(true);
      const second = await again;
      await expect.poll(() => follows.length, { message: 'follows re-sent' }).toBe(4);
      const prefix = second.id.slice(0, 4);
      expect(follows.slice(2).sort()).toEqual([`${prefix} booking:5555`, `${prefix} resource:6666`]);
      // One follow:many per connection: the first answered the follow asked before it was up.
      expect(manyMessages).toBe(2);
    });

    it('returns a coded error for a refused follow and drops it', async () => {
      const c = t.start();
      const res = await c.follow({ kind: 'booking', id: FORBIDDEN_ID });
      expect(res).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'not yours' } });
      expect(c.following()).toEqual([]);
    });

    it('times out a follow the server does not acknowledge, and keeps it for the next connection', async () => {
      const c = t.start({ ackTimeoutMs: 100 });
      await t.connected();
      const res = await c.follow({ kind: 'booking', id: SILENT_ID });
      expect(res).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
      expect(c.following()).toHaveLength(1);
    });

    it('refuses a malformed target without sending it, and unfollows with an ack', async () => {
      const c = t.start();
      await t.connected();
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
