import { type BookingEvent, type EventEnvelope, encodeEventFrame, PROTOCOL_VERSION } from '@slotcast/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bookingEvent, tokenPair } from '../test/support/fixtures.js';
import { type RealtimeTestServer, startRealtimeServer } from '../test/support/realtime-server.js';
import { RealtimeClient } from './realtime-client.js';
import { TokenManager } from './token-manager.js';

const notification: EventEnvelope = {
  v: 1,
  id: 3,
  type: 'notification.created',
  occurredAt: '2030-01-01T10:00:00.000Z',
  data: { anything: true },
};

describe('RealtimeClient reads events frames of both protocol versions', () => {
  let server: RealtimeTestServer;
  let tokens: TokenManager;
  let client: RealtimeClient | null = null;

  beforeEach(async () => {
    server = await startRealtimeServer();
    tokens = new TokenManager({ autoRefresh: false, refresh: async () => tokenPair(2) });
    await tokens.setSession(tokenPair(1));
  });
  afterEach(async () => {
    await client?.stop();
    client = null;
    await server.close();
  });

  function start() {
    const c = new RealtimeClient({
      url: server.url,
      tokens,
      socketOptions: { transports: ['websocket'] },
      backoff: { baseMs: 40, capMs: 400 },
      heartbeatMs: 60_000,
    });
    client = c;
    const envelopes: EventEnvelope[] = [];
    const bookings: BookingEvent[] = [];
    const errors: unknown[] = [];
    c.onEnvelope((e) => void envelopes.push(e));
    c.onEvent((e) => void bookings.push(e));
    c.on('error', (err) => void errors.push(err));
    c.start();
    return { c, envelopes, bookings, errors };
  }

  it('hands over the same envelopes from a compact frame as from an array of them', async () => {
    const accepted = server.nextSocket();
    const { c, envelopes, bookings } = start();
    const s = await accepted;
    expect(server.handshakes[0]!.protocolVersion).toBe(PROTOCOL_VERSION);
    const rescheduled = bookingEvent(4, 'booking.rescheduled');
    (rescheduled.data as BookingEvent['data']).previous = {
      startAt: '2030-01-01T08:00:00.000Z',
      endAt: '2030-01-01T09:00:00.000Z',
      resourceId: (rescheduled.data as BookingEvent['data']).booking.resourceId,
    };
    const sent = [bookingEvent(1, 'booking.requested'), bookingEvent(2), notification, rescheduled];
    s.emit('events', encodeEventFrame(sent.slice(0, 3)));
    s.emit('events', [rescheduled]);
    await expect.poll(() => c.cursor).toBe(4);
    expect(envelopes).toEqual(sent);
    expect(bookings.map((e) => `${e.id} ${e.type}`)).toEqual([
      '1 booking.requested',
      '2 booking.confirmed',
      '4 booking.rescheduled',
    ]);
  });

  it('asks a server of protocol 1 for arrays of envelopes when it refuses protocol 2, and reads them', async () => {
    server.refuse = (auth) =>
      auth.protocolVersion !== undefined && auth.protocolVersion > 1
        ? { code: 'PROTOCOL_SERVER_TOO_OLD', message: 'Protocol 2 is newer than this server speaks' }
        : null;
    const accepted = server.nextSocket();
    const { c, envelopes } = start();
    const s = await accepted;
    expect(server.handshakes.map((h) => h.protocolVersion)).toEqual([2, 1]);
    s.emit('events', [bookingEvent(1), bookingEvent(2)]);
    await expect.poll(() => c.cursor).toBe(2);
    expect(envelopes.map((e) => e.id)).toEqual([1, 2]);
    expect(c.state.status).toBe('connected');
  });

  it('reports and drops a frame that is neither form, and keeps reading', async () => {
    const accepted = server.nextSocket();
    const { c, envelopes, errors } = start();
    const s = await accepted;
    s.emit('events', { v: 2, e: [[1]] } as never);
    s.emit('events', encodeEventFrame([bookingEvent(5)]));
    await expect.poll(() => c.cursor).toBe(5);
    expect(envelopes.map((e) => e.id)).toEqual([5]);
    expect(String(errors[0])).toMatch(/malformed events message/);
  });
});
