import { afterEach, beforeEach, expect } from 'vitest';
import type { ConnectionState } from '../../src/connection-state.js';
import { RealtimeClient } from '../../src/realtime-client.js';
import type { RealtimeClientOptions } from '../../src/realtime-options.js';
import type { TokenManager } from '../../src/token-manager.js';
import { type RealtimeTestServer, startRealtimeServer } from './realtime-server.js';
import { signedInTokens } from './signed-in-tokens.js';

/** Tests' heartbeat interval: long enough that only the tests about heartbeats see one. */
export const HEARTBEAT_MS = 60_000;

export interface RealtimeClientSuite {
  /** A real Socket.IO server, new for each test (a test may replace it, it is closed after the test). */
  server: RealtimeTestServer;
  /** Signed in with `tokenPair(1)`; `refreshes` records each refresh it was asked for. */
  tokens: TokenManager;
  refreshes: (string | undefined)[];
  /** The client `start()` made, stopped after the test. */
  client: RealtimeClient | null;
  /** Every state the client reported, with when. */
  states: (ConnectionState & { at: number })[];
  /** Starts a client against the server: WebSocket only, back-off 40–400 ms with jitter 0.5, quiet heartbeats. */
  start(opts?: Partial<RealtimeClientOptions>): RealtimeClient;
  /** Resolves once the client reports `connected`. */
  connected(): Promise<void>;
  /** The delays the client scheduled, less its heartbeats. */
  retryDelays(clock: { delays: number[] }): number[];
}

/** Registers the hooks of a suite that runs a RealtimeClient against a real Socket.IO server; call in `describe`. */
export function realtimeClientSuite(): RealtimeClientSuite {
  const suite: RealtimeClientSuite = {
    server: null as unknown as RealtimeTestServer,
    tokens: null as unknown as TokenManager,
    refreshes: [],
    client: null,
    states: [],
    start(opts = {}) {
      const client = new RealtimeClient({
        url: suite.server.url,
        tokens: suite.tokens,
        socketOptions: { transports: ['websocket'] },
        backoff: { baseMs: 40, capMs: 400 },
        random: () => 0.5,
        heartbeatMs: HEARTBEAT_MS,
        ...opts,
      });
      suite.client = client;
      client.subscribeState((s) => suite.states.push({ ...s, at: Date.now() }));
      client.start();
      return client;
    },
    connected: () => expect.poll(() => suite.client?.state.status, { message: 'connected' }).toBe('connected'),
    retryDelays: (clock) => clock.delays.filter((d) => d !== HEARTBEAT_MS),
  };
  beforeEach(async () => {
    suite.server = await startRealtimeServer();
    ({ tokens: suite.tokens, refreshes: suite.refreshes } = await signedInTokens());
    suite.states = [];
  });
  afterEach(async () => {
    await suite.client?.stop();
    suite.client = null;
    await suite.server.close();
  });
  return suite;
}
