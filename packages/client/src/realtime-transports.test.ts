import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RealtimeTestServer, type ServerSocket, startRealtimeServer } from '../test/support/realtime-server.js';
import { recordingClock } from '../test/support/recording-clock.js';
import { signedInTokens } from '../test/support/signed-in-tokens.js';
import { startTransportGate, type TransportGate } from '../test/support/transport-gate.js';
import type { ConnectionState } from './connection-state.js';
import { RealtimeClient } from './realtime-client.js';
import type { RealtimeClientOptions } from './realtime-options.js';
import type { TokenManager } from './token-manager.js';

/** Heartbeats and the upgrade's grace period: long enough that no test sees them, and told apart from retries. */
const HEARTBEAT_MS = 60_000;
const UPGRADE_GRACE_MS = 30_000;
/**
 * Far longer than any test may take: an attempt can only fail in time if the SDK notices the early close itself
 * (socket.io-client alone would wait for this timeout).
 */
const TEN_MINUTES = 600_000;

/** The transport a socket's first request came over: `polling` first, or a WebSocket directly. */
const openedOver = (socket: ServerSocket) => socket.handshake.query.transport;

describe('RealtimeClient when a transport closes before the connection opens', () => {
  let server: RealtimeTestServer;
  let gate: TransportGate;
  let tokens: TokenManager;
  let refreshes: (string | undefined)[];
  let client: RealtimeClient | null = null;
  let states: ConnectionState[];

  beforeEach(async () => {
    server = await startRealtimeServer();
    gate = await startTransportGate(server.url);
    ({ tokens, refreshes } = await signedInTokens());
    states = [];
  });
  afterEach(async () => {
    await client?.stop();
    client = null;
    await gate.close();
    await server.close();
  });

  /** A client through the gate, with Socket.IO's default transports (polling first, then the upgrade) unless told. */
  function start(opts: Partial<RealtimeClientOptions> = {}): RealtimeClient {
    client = new RealtimeClient({
      url: gate.url,
      tokens,
      backoff: { baseMs: 40, capMs: 400 },
      random: () => 0.5,
      heartbeatMs: HEARTBEAT_MS,
      upgradeGraceMs: UPGRADE_GRACE_MS,
      connectTimeoutMs: TEN_MINUTES,
      ...opts,
    });
    client.subscribeState((s) => states.push(s));
    client.start();
    return client;
  }
  const retryDelays = (clock: { delays: number[] }) =>
    clock.delays.filter((d) => d !== HEARTBEAT_MS && d !== UPGRADE_GRACE_MS);
  const failedAttempts = () =>
    states.filter((s) => s.nextRetryAt !== null).map((s) => [s.status, s.attempt, s.lastError?.code]);
  const status = (want: ConnectionState['status']) =>
    expect.poll(() => client?.state.status, { message: want }).toBe(want);
  const transport = (want: ConnectionState['transport']) =>
    expect.poll(() => client?.state.transport, { message: `over ${want}` }).toBe(want);

  it.each([
    ['with a close frame', 'close-frame'],
    ['by cutting the connection', 'cut'],
  ] as const)(
    'a WebSocket-only client whose WebSocket is closed %s before Engine.IO opens fails at once, backs off and tries a WebSocket again',
    async (_how, closeWith) => {
      gate.closeWith = closeWith;
      gate.closeUpgrades = 3;
      const clock = recordingClock();
      const accepted = server.nextSocket();
      // As the service worker's catch-up connects: WebSocket only.
      start({ clock, socketOptions: { transports: ['websocket'] } });
      await status('connected');
      // Three attempts failed, each counted and reported, then the back-off (random 0.5 of the ceilings 40, 80, 160).
      expect(failedAttempts()).toEqual([
        ['connecting', 1, 'NETWORK'],
        ['connecting', 2, 'NETWORK'],
        ['connecting', 3, 'NETWORK'],
      ]);
      expect(states.find((s) => s.lastError)?.lastError?.message).toMatch(/closed before the connection opened/);
      expect(retryDelays(clock)).toEqual([20, 40, 80]);
      // Every attempt was a WebSocket; the three closed ones never reached Socket.IO.
      expect(gate.closedUpgrades).toBe(3);
      expect(gate.passedUpgrades).toBe(1);
      expect(openedOver(await accepted)).toBe('websocket');
      expect(server.handshakes).toHaveLength(1);
      expect(client!.state).toMatchObject({ status: 'connected', attempt: 0, transport: 'websocket', lastError: null });
    },
  );

  it('fails at once when Engine.IO opened but the transport closes before Socket.IO’s CONNECT is answered', async () => {
    // A node that goes away mid-handshake: the engine is open, the CONNECT arrived, no answer, the transport closes.
    let drop = 2;
    server.io.use((socket, next) => {
      if (drop-- > 0) socket.conn.close();
      else next();
    });
    const clock = recordingClock();
    start({ clock, socketOptions: { transports: ['websocket'] } });
    await status('connected');
    expect(failedAttempts()).toEqual([
      ['connecting', 1, 'NETWORK'],
      ['connecting', 2, 'NETWORK'],
    ]);
    expect(retryDelays(clock)).toEqual([20, 40]);
    expect(server.handshakes).toHaveLength(3);
  });

  it('reconnects over a WebSocket directly after losing a WebSocket connection, without polling first', async () => {
    let accepted = server.nextSocket();
    start();
    const first = await accepted;
    expect(openedOver(first)).toBe('polling');
    await transport('websocket');
    accepted = server.nextSocket();
    first.disconnect(true);
    const second = await accepted;
    expect(openedOver(second)).toBe('websocket');
    await status('connected');
    expect(client!.state).toMatchObject({ transport: 'websocket', attempt: 0 });
    expect(gate.passedUpgrades).toBe(2);
  });

  it('falls back to polling first after a direct WebSocket fails, and reports polling-fallback when the upgrade fails too', async () => {
    let accepted = server.nextSocket();
    start();
    await accepted;
    await transport('websocket');
    // From now on the network drops WebSockets, as a proxy that does not allow them would.
    gate.closeUpgrades = Number.POSITIVE_INFINITY;
    accepted = server.nextSocket();
    gate.cutAll();
    const second = await accepted;
    // The drop, then the direct WebSocket closed early: a failed attempt, counted; the next one started with polling.
    expect(failedAttempts()).toEqual([
      ['reconnecting', 1, 'NETWORK'],
      ['reconnecting', 2, 'NETWORK'],
    ]);
    expect(states.filter((s) => s.nextRetryAt !== null).at(-1)?.lastError?.message).toMatch(/closed before/);
    expect(openedOver(second)).toBe('polling');
    // Its upgrade is closed early too: a polling connection that stays one.
    await status('polling-fallback');
    expect(client!.state).toMatchObject({ transport: 'polling', attempt: 0 });
    // The direct attempt and the upgrade's probe.
    expect(gate.closedUpgrades).toBe(2);

    // After a fallback, the next drop starts with polling again, without trying a WebSocket first.
    const closedBefore = gate.closedUpgrades;
    accepted = server.nextSocket();
    second.disconnect(true);
    expect(openedOver(await accepted)).toBe('polling');
    await status('polling-fallback');
    expect(failedAttempts().at(-1)).toEqual(['reconnecting', 1, 'SERVER_DISCONNECT']);
    // Only the upgrade's probe met the gate, no direct attempt.
    expect(gate.closedUpgrades).toBe(closedBefore + 1);
  });

  it('keeps a server refusal’s code and the direct WebSocket: a refusal arrived over a working transport', async () => {
    let accepted = server.nextSocket();
    start();
    const first = await accepted;
    await transport('websocket');
    server.refuse = (_auth, n) => (n === 2 ? { code: 'RATE_LIMITED', message: 'busy', retryAfterMs: 30 } : null);
    accepted = server.nextSocket();
    first.disconnect(true);
    const third = await accepted;
    expect(failedAttempts().slice(-1)).toEqual([['reconnecting', 2, 'RATE_LIMITED']]);
    expect(openedOver(third)).toBe('websocket');
    await status('connected');
  });

  it('refreshes the token and reconnects at once when the server refuses an expired one over a polling-first attempt', async () => {
    server.refuse = (auth) => (auth.token === 'access-1' ? { code: 'AUTH_TOKEN_EXPIRED', message: 'expired' } : null);
    start();
    await status('connected');
    expect(server.handshakes.map((h) => h.token)).toEqual(['access-1', 'access-2']);
    expect(refreshes).toEqual(['refresh-token-1']);
    expect(failedAttempts()).toEqual([]);
  });
});
