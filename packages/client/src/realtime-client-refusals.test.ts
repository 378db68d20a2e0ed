import { PROTOCOL_VERSION } from '@slotcast/protocol';
import { describe, expect, it } from 'vitest';
import { bookingEvent } from '../test/support/fixtures.js';
import { realtimeClientSuite } from '../test/support/realtime-client-suite.js';
import { recordingClock } from '../test/support/recording-clock.js';

describe('RealtimeClient when a real Socket.IO server refuses its token, its session or its protocol version', () => {
  const t = realtimeClientSuite();

  it('refreshes the token once and reconnects at once on AUTH_TOKEN_EXPIRED', async () => {
    t.server.refuse = (auth) => (auth.token === 'access-1' ? { code: 'AUTH_TOKEN_EXPIRED', message: 'expired' } : null);
    t.start();
    await t.connected();
    expect(t.server.handshakes.map((h) => h.token)).toEqual(['access-1', 'access-2']);
    expect(t.refreshes).toEqual(['refresh-token-1']);
    expect(t.states.some((s) => s.nextRetryAt !== null)).toBe(false);
  });

  it('stops and reports signed-out on AUTH_TOKEN_INVALID', async () => {
    t.server.refuse = () => ({ code: 'AUTH_TOKEN_INVALID', message: 'The session was revoked' });
    const signedOut: string[] = [];
    t.tokens.on('signedOut', (e) => {
      signedOut.push(`tokens ${e.reason}`);
    });
    const clock = recordingClock();
    const c = t.start({ clock });
    c.on('signedOut', (e) => {
      signedOut.push(`realtime ${e.code}`);
    });
    await expect.poll(() => signedOut.length, { message: 'signed out' }).toBe(2);
    expect(signedOut).toEqual(['tokens token-invalid', 'realtime AUTH_TOKEN_INVALID']);
    expect(c.state).toMatchObject({ status: 'offline', nextRetryAt: null, lastError: { code: 'AUTH_TOKEN_INVALID' } });
    expect(t.tokens.session).toBeNull();
    expect(clock.pending()).toBe(0);
    expect(t.server.handshakes).toHaveLength(1);
  });

  it('answers auth:expiring with auth:refresh and a fresh token on the same socket', async () => {
    const accepted = t.server.nextSocket();
    t.start();
    const s = await accepted;
    const sent: string[] = [];
    s.on('auth:refresh', (req, ack) => {
      sent.push(req.token);
      ack({ ok: true, expiresAt: new Date(Date.now() + 900_000).toISOString() });
    });
    s.emit('auth:expiring', { expiresAt: new Date(Date.now() + 200).toISOString() });
    await expect.poll(() => sent.length, { message: 'auth:refresh' }).toBe(1);
    expect(sent).toEqual(['access-2']);
    expect(t.refreshes).toHaveLength(1);
    // Sentinel: an event sent after the ack reaches the client on the same socket, which is still open.
    s.emit('events', [bookingEvent(7)]);
    await expect.poll(() => t.client?.cursor, { message: 'event after the refresh' }).toBe(7);
    expect(s.connected).toBe(true);
    expect(t.server.handshakes).toHaveLength(1);
  });

  it('reconnects with the fresh token when the server refuses auth:refresh', async () => {
    const accepted = t.server.nextSocket();
    t.start();
    const s = await accepted;
    s.on('auth:refresh', (_req, ack) => ack({ ok: false, error: { code: 'AUTH_TOKEN_INVALID', message: 'nope' } }));
    s.emit('auth:expiring', { expiresAt: new Date(Date.now() + 50).toISOString() });
    await expect.poll(() => t.server.handshakes.length, { message: 'reconnect' }).toBe(2);
    expect(t.server.handshakes[1]!.token).toBe('access-2');
  });

  it('reconnects at once with a fresh token when the server closes the socket for an expired token', async () => {
    const accepted = t.server.nextSocket();
    t.start();
    const s = await accepted;
    const again = t.server.nextSocket();
    s.emit('closing', { code: 'AUTH_TOKEN_EXPIRED', message: 'expired' });
    await again;
    expect(t.server.handshakes.map((h) => h.token)).toEqual(['access-1', 'access-2']);
    expect(t.states.some((st) => st.nextRetryAt !== null)).toBe(false);
  });

  it('signs out when the server closes the socket for a revoked session', async () => {
    const accepted = t.server.nextSocket();
    const c = t.start();
    const s = await accepted;
    s.emit('closing', { code: 'SESSION_REVOKED', message: 'signed out elsewhere' });
    await expect.poll(() => c.state.status, { message: 'offline' }).toBe('offline');
    expect(c.state.lastError?.code).toBe('SESSION_REVOKED');
    expect(t.tokens.session).toBeNull();
  });

  it.each(['PROTOCOL_CLIENT_TOO_OLD', 'PROTOCOL_SERVER_TOO_OLD'] as const)(
    'stops reconnecting and reports incompatible when the handshake is refused with %s',
    async (code) => {
      t.server.refuse = () => ({ code, message: 'versions differ' });
      const c = t.start();
      await expect.poll(() => c.state.status).toBe('incompatible');
      expect(c.state.lastError).toEqual({ code, message: 'versions differ' });
      expect(c.state.nextRetryAt).toBeNull();
      // A server too old for protocol 2 is asked once more, for 1, before the client gives up.
      const asked = code === 'PROTOCOL_SERVER_TOO_OLD' ? [PROTOCOL_VERSION, 1] : [PROTOCOL_VERSION];
      expect(t.server.handshakes.map((h) => h.protocolVersion)).toEqual(asked);
      // Nothing is scheduled: a later handshake only comes from retryNow().
      t.server.refuse = () => null;
      const accepted = t.server.nextSocket();
      c.retryNow();
      await accepted;
      expect(t.server.handshakes).toHaveLength(asked.length + 1);
    },
  );

  it('stops with PROTOCOL_CLIENT_TOO_OLD on an events frame of a newer protocol, without handling it', async () => {
    const accepted = t.server.nextSocket();
    const c = t.start();
    const seen: number[] = [];
    c.onEnvelope((e) => void seen.push(e.id));
    const s = await accepted;
    await t.connected();
    s.emit('events', [bookingEvent(1)]);
    s.emit('events', [{ ...bookingEvent(2), v: 2 } as never]);
    await expect.poll(() => c.state.status).toBe('incompatible');
    expect(c.state.lastError?.code).toBe('PROTOCOL_CLIENT_TOO_OLD');
    expect(seen).toEqual([1]);
  });
});
