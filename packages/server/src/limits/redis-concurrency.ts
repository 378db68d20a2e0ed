import type { Redis } from 'ioredis';
import type { ConcurrencyLimiter } from './rate-limits.js';

/** A slot not renewed for this long is free again: the node holding it died without releasing. */
export const SOCKET_LEASE_MS = 60_000;

// One sorted set per user: members are the holding sockets, scores the end of each lease in Redis's own clock (no
// skew between nodes). Taking a slot first drops expired leases, so a crashed node's sockets stop counting after
// one lease; every live node renews its own sockets' leases in one round trip per RENEW interval.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  return 0
end
redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
redis.call('PEXPIRE', KEYS[1], lease)
return 1`;

const RENEW = `
local t = redis.call('TIME')
local until_ = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', until_, ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 0`;

interface LeaseCommands {
  slotcastAcquireSlot(key: string, holder: string, max: number, leaseMs: number): Promise<number>;
  slotcastRenewSlots(key: string, leaseMs: number, ...holders: string[]): Promise<number>;
}

/**
 * Open sockets per user counted across the cluster in Redis. While Redis does not answer, slots are taken from
 * `fallback` (per node, the same maximum), as the request limiters fall back to memory; a slot is released where it
 * was taken.
 */
export class RedisConcurrency implements ConcurrencyLimiter {
  private readonly redis: Redis & LeaseCommands;
  /** Slots this node holds in Redis, by user: renewed until released. */
  private readonly held = new Map<string, Set<string>>();
  private readonly inFallback = new Set<string>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    redis: Redis,
    private readonly fallback: ConcurrencyLimiter,
    private readonly opts: { leaseMs?: number; keyPrefix?: string; onError?: (err: unknown) => void } = {},
  ) {
    redis.defineCommand('slotcastAcquireSlot', { numberOfKeys: 1, lua: ACQUIRE });
    redis.defineCommand('slotcastRenewSlots', { numberOfKeys: 1, lua: RENEW });
    this.redis = redis as Redis & LeaseCommands;
    this.timer = setInterval(() => void this.renew(), this.leaseMs / 3);
    this.timer.unref();
  }

  private get leaseMs() {
    return this.opts.leaseMs ?? SOCKET_LEASE_MS;
  }
  private key(user: string) {
    return `${this.opts.keyPrefix ?? 'slotcast:sockets:'}${user}`;
  }

  async acquire(key: string, holder: string, max: number): Promise<boolean> {
    try {
      const taken = (await this.redis.slotcastAcquireSlot(this.key(key), holder, max, this.leaseMs)) === 1;
      if (taken) this.held.set(key, (this.held.get(key) ?? new Set()).add(holder));
      return taken;
    } catch (err) {
      this.opts.onError?.(err);
      const taken = await this.fallback.acquire(key, holder, max);
      if (taken) this.inFallback.add(holder);
      return taken;
    }
  }

  async release(key: string, holder: string): Promise<void> {
    if (this.inFallback.delete(holder)) return this.fallback.release(key, holder);
    const set = this.held.get(key);
    set?.delete(holder);
    if (set?.size === 0) this.held.delete(key);
    // If this fails the lease still ends: the slot is free again within leaseMs.
    await this.redis.zrem(this.key(key), holder);
  }

  /** Renews the leases of every slot this node holds, in one pipeline. */
  private async renew(): Promise<void> {
    if (this.held.size === 0) return;
    const pipe = this.redis.pipeline() as ReturnType<Redis['pipeline']> & {
      slotcastRenewSlots(key: string, leaseMs: number, ...holders: string[]): unknown;
    };
    for (const [user, holders] of this.held) pipe.slotcastRenewSlots(this.key(user), this.leaseMs, ...holders);
    try {
      await pipe.exec();
    } catch (err) {
      this.opts.onError?.(err);
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
