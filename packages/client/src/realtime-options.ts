import type { ManagerOptions, SocketOptions } from 'socket.io-client';
import type { Clock } from './clock.js';
import type { CursorStore } from './cursor-store.js';
import type { NetworkStatus } from './network-status.js';
import type { TokenManager } from './token-manager.js';

/**
 * How long one connection attempt may take unless `connectTimeoutMs` says otherwise: Socket.IO's own default. When a
 * node is flooded (every client of a lost node coming back), TCP retries a dropped connection 1, 3, 7 and 15 s after
 * the first try; an attempt abandoned at 10 s started over just before its fourth try, and every client that did so
 * came back with the next wave.
 */
export const DEFAULT_CONNECT_TIMEOUT_MS = 20_000;

/** Connection settings of RealtimeClient. */
export interface ConnectionOptions {
  /** The server's origin (no path: a path would name a Socket.IO namespace); omit in a browser for the page's. */
  url?: string;
  tokens: TokenManager;
  /** Online/offline source (default: always online; browserNetworkStatus() in browsers). */
  network?: NetworkStatus;
  clock?: Clock;
  /** Uniform in [0, 1), for the jitter. */
  random?: () => number;
  /** Full-jitter backoff (base 500 ms, cap 30 s); after `maxAttempts` failures in a row retries pause (offline). */
  backoff?: { baseMs?: number; capMs?: number; maxAttempts?: number };
  /**
   * Interval of the SDK's heartbeat (an acknowledged `heartbeat` message; unanswered within `ackTimeoutMs` → the
   * socket is treated as dead and replaced). Default 25 s; the connection policy changes it with setHeartbeat().
   */
  heartbeatMs?: number;
  /** How long follow, unfollow, auth:refresh and heartbeat wait for their ack (default 5 s). */
  ackTimeoutMs?: number;
  /** How long one connection attempt may take (default 20 s). */
  connectTimeoutMs?: number;
  /** Answer auth:expiring this long before expiry, at most half the token's remaining life (default 30 s). */
  reauthLeadMs?: number;
  /** How long a polling connection may take to upgrade before it counts as polling-fallback (default 3 s). */
  upgradeGraceMs?: number;
  /** Passed to socket.io-client (path, transports, extraHeaders, ...); its reconnection options are overridden. */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

export interface RealtimeClientOptions extends ConnectionOptions {
  /** Where the replay cursor is kept, per user (default: memory). */
  cursorStore?: CursorStore;
}
