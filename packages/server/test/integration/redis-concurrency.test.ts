import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryConcurrency } from '../../src/limits/rate-limits.js';
import { RedisConcurrency } from '../../src/limits/redis-concurrency.js';

const url = process.env.TEST_REDIS_URL;
if (!url) console.warn('\n!! SKIPPED: cluster-wide socket slots need TEST_REDIS_URL\n');

describe.skipIf(!url)('open sockets per user in Redis (RedisConcurrency)', () => {
  const clients: Redis[] = [];
  const limiters: RedisConcurrency[] = [];
  // Each run its own keys, so runs side by side on one Redis do not meet.
  const keyPrefix = `slotcast:test:sockets:${randomUUID()}:`;
  const node = (leaseMs: number) => {
    const redis = new Redis(url!, { lazyConnect: false });
    clients.push(redis);
    const limiter = new RedisConcurrency(redis, new MemoryConcurrency(), { leaseMs, keyPrefix });
    limiters.push(limiter);
    return limiter;
  };

  afterAll(() => {
    for (const l of limiters) l.stop();
    for (const c of clients) c.disconnect();
  });

  it('counts one user’s slots across nodes, and releases exactly the holder’s', async () => {
    const [a, b] = [node(60_000), node(60_000)];
    expect(await a.acquire('u1', 's1', 2)).toBe(true);
    expect(await b.acquire('u1', 's2', 2)).toBe(true);
    expect(await a.acquire('u1', 's3', 2)).toBe(false);
    expect(await b.acquire('u2', 's4', 2)).toBe(true);
    // Taking a slot the socket already holds is no second slot.
    expect(await a.acquire('u1', 's1', 2)).toBe(true);
    await b.release('u1', 's2');
    await b.release('u1', 's2');
    expect(await a.acquire('u1', 's3', 2)).toBe(true);
    expect(await b.acquire('u1', 's5', 2)).toBe(false);
  });

  it('frees the slots of a node that died once their lease ends, while a live node’s renewed slot still counts', async () => {
    const leaseMs = 600;
    const [live, dying, other] = [node(leaseMs), node(leaseMs), node(leaseMs)];
    expect(await live.acquire('u3', 'live', 2)).toBe(true);
    expect(await dying.acquire('u3', 'dead', 2)).toBe(true);
    dying.stop(); // a crash: no release, no renewal
    expect(await other.acquire('u3', 'new', 2)).toBe(false);
    // The dead node's slot comes free after a lease; by then the live slot has outlived its first lease too.
    await expect.poll(() => other.acquire('u3', 'new', 2), { timeout: 10_000, interval: 100 }).toBe(true);
    expect(await other.acquire('u3', 'newer', 2)).toBe(false);
  });
});
