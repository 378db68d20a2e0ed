import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config.js';

export interface Rate {
  points: number;
  /** Window in seconds. */
  duration: number;
}

/** Every limiter by name; the name is the `limiter` label of slotcast_rate_limit_rejections_total. */
export const LIMITERS = [
  'http_auth',
  'http_mutations',
  'http_reads',
  'socket_handshake',
  'socket_follow',
  'socket_unfollow',
  'socket_auth_refresh',
] as const;
export type LimiterName = (typeof LIMITERS)[number];

export interface RateLimitSettings {
  enabled: boolean;
  rates: Record<LimiterName, Rate>;
  socketsPerUser: number;
  /** Rejections after which a flooding socket is closed. */
  floodRejections: number;
}

export function rateLimitSettings(c: Config): RateLimitSettings {
  return {
    enabled: c.RATE_LIMITS_ENABLED,
    rates: {
      http_auth: c.RATE_LIMIT_HTTP_AUTH,
      http_mutations: c.RATE_LIMIT_HTTP_MUTATIONS,
      http_reads: c.RATE_LIMIT_HTTP_READS,
      socket_handshake: c.RATE_LIMIT_SOCKET_HANDSHAKES,
      socket_follow: c.RATE_LIMIT_SOCKET_FOLLOW,
      socket_unfollow: c.RATE_LIMIT_SOCKET_UNFOLLOW,
      socket_auth_refresh: c.RATE_LIMIT_SOCKET_AUTH_REFRESH,
    },
    socketsPerUser: c.RATE_LIMIT_SOCKETS_PER_USER,
    floodRejections: c.RATE_LIMIT_SOCKET_FLOOD_REJECTIONS,
  };
}

/**
 * Makes the store behind each limiter. Memory (one node) by default; with several nodes pass one backed by Redis so
 * the budget is shared: `(o) => new RateLimiterRedis({ storeClient: redis, ...o })`.
 */
export type LimiterFactory = (opts: { keyPrefix: string; points: number; duration: number }) => RateLimiterAbstract;
export const memoryLimiters: LimiterFactory = (o) => new RateLimiterMemory(o);

/**
 * Open sockets per user. `holder` names the socket (unique in the cluster), so a release is exact and a store can
 * expire the slots of a node that died. In memory by default (per node); `RedisConcurrency` (redis-concurrency.ts)
 * counts across the cluster.
 */
export interface ConcurrencyLimiter {
  /** Takes a slot for `key` unless `max` are taken; true when taken. */
  acquire(key: string, holder: string, max: number): Promise<boolean>;
  release(key: string, holder: string): Promise<void>;
}

export class MemoryConcurrency implements ConcurrencyLimiter {
  // A user with one socket (nearly all) is held as that socket's name alone: a Set each would cost ~300 bytes per
  // open socket.
  private readonly held = new Map<string, string | Set<string>>();
  async acquire(key: string, holder: string, max: number): Promise<boolean> {
    const cur = this.held.get(key);
    if (cur === undefined) {
      this.held.set(key, holder);
      return true;
    }
    if (cur === holder || (typeof cur !== 'string' && cur.has(holder))) return true;
    const size = typeof cur === 'string' ? 1 : cur.size;
    if (size >= max) return false;
    this.held.set(key, typeof cur === 'string' ? new Set([cur, holder]) : cur.add(holder));
    return true;
  }
  async release(key: string, holder: string): Promise<void> {
    const cur = this.held.get(key);
    if (cur === undefined) return;
    if (typeof cur === 'string') {
      if (cur === holder) this.held.delete(key);
      return;
    }
    cur.delete(holder);
    if (cur.size === 0) this.held.delete(key);
  }
}

export interface RateLimitsDeps {
  settings: RateLimitSettings;
  /** Current tightening (1 = none); see LoadGovernor. */
  divisor: () => number;
  onReject: (limiter: LimiterName | 'socket_concurrency') => void;
  /** A store failure: the request is let through (a limiter must not take the service down with it). */
  onStoreError?: (err: unknown) => void;
  factory?: LimiterFactory;
  concurrency?: ConcurrencyLimiter;
}

/** The rate limits of one node: HTTP per route class, socket handshakes, socket messages, sockets per user. */
export class RateLimits {
  readonly enabled: boolean;
  private readonly limiters = new Map<LimiterName, RateLimiterAbstract>();
  private readonly concurrency: ConcurrencyLimiter;

  constructor(private readonly deps: RateLimitsDeps) {
    this.enabled = deps.settings.enabled;
    const factory = deps.factory ?? memoryLimiters;
    for (const name of LIMITERS) {
      const rate = deps.settings.rates[name];
      this.limiters.set(name, factory({ keyPrefix: `slotcast_rl_${name}`, ...rate }));
    }
    this.concurrency = deps.concurrency ?? new MemoryConcurrency();
  }

  get floodRejections(): number {
    return this.deps.settings.floodRejections;
  }

  /** Takes one request from `key`'s budget: null when allowed, else how long to wait (ms). */
  async take(name: LimiterName, key: string): Promise<number | null> {
    if (!this.enabled) return null;
    try {
      // Under load a request costs `divisor` points: every limit shrinks by that factor without new limiters.
      await this.limiters.get(name)!.consume(key, this.deps.divisor());
      return null;
    } catch (err) {
      if (err instanceof RateLimiterRes) {
        this.deps.onReject(name);
        return Math.max(1, Math.ceil(err.msBeforeNext));
      }
      this.deps.onStoreError?.(err);
      return null;
    }
  }

  /** A socket slot for the user, held by `socketId`; false when they already hold the maximum. */
  async acquireSocket(userId: string, socketId: string): Promise<boolean> {
    if (!this.enabled) return true;
    const max = Math.max(1, Math.floor(this.deps.settings.socketsPerUser / this.deps.divisor()));
    if (await this.concurrency.acquire(userId, socketId, max)) return true;
    this.deps.onReject('socket_concurrency');
    return false;
  }

  async releaseSocket(userId: string, socketId: string): Promise<void> {
    if (this.enabled) await this.concurrency.release(userId, socketId);
  }
}
