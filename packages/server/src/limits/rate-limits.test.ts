import { describe, expect, it } from 'vitest';
import { LoadGovernor } from './load-governor.js';
import { LIMITERS, type Rate, type RateLimitSettings, RateLimits } from './rate-limits.js';

const settings = (over: Partial<RateLimitSettings> = {}): RateLimitSettings => ({
  enabled: true,
  rates: Object.fromEntries(
    LIMITERS.map((n) => [n, { points: 4, duration: 60 } satisfies Rate]),
  ) as RateLimitSettings['rates'],
  socketsPerUser: 4,
  floodRejections: 3,
  ...over,
});

describe('RateLimits', () => {
  it('allows a budget per key and limiter, then answers how long to wait', async () => {
    const rejected: string[] = [];
    const limits = new RateLimits({ settings: settings(), divisor: () => 1, onReject: (n) => rejected.push(n) });
    for (let i = 0; i < 4; i++) expect(await limits.take('http_reads', 'a')).toBeNull();
    const wait = await limits.take('http_reads', 'a');
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60_000);
    expect(await limits.take('http_reads', 'b')).toBeNull();
    expect(await limits.take('http_mutations', 'a')).toBeNull();
    expect(rejected).toEqual(['http_reads']);
  });

  it('divides every budget, sockets per user included, while tightened', async () => {
    let divisor = 2;
    const limits = new RateLimits({ settings: settings(), divisor: () => divisor, onReject: () => {} });
    expect(await limits.take('socket_follow', 'u')).toBeNull();
    expect(await limits.take('socket_follow', 'u')).toBeNull();
    expect(await limits.take('socket_follow', 'u')).not.toBeNull();
    expect(await Promise.all(['s1', 's2', 's3'].map((s) => limits.acquireSocket('u', s)))).toEqual([true, true, false]);
    divisor = 1;
    expect(await limits.acquireSocket('u', 's3')).toBe(true);
    await limits.releaseSocket('u', 's1');
    await limits.releaseSocket('u', 's1');
    expect(await limits.acquireSocket('u', 's4')).toBe(true);
    expect(await limits.acquireSocket('u', 's5')).toBe(true);
    expect(await limits.acquireSocket('u', 's6')).toBe(false);
  });

  it('holds a user’s sockets by name through one, several and none again', async () => {
    const limits = new RateLimits({ settings: settings(), divisor: () => 2, onReject: () => {} });
    expect(await limits.acquireSocket('u', 's1')).toBe(true);
    expect(await limits.acquireSocket('u', 's1')).toBe(true);
    await limits.releaseSocket('u', 's2');
    expect(await limits.acquireSocket('u', 's2')).toBe(true);
    expect(await limits.acquireSocket('u', 's3')).toBe(false);
    await limits.releaseSocket('u', 's1');
    await limits.releaseSocket('u', 's2');
    expect(await Promise.all(['s3', 's4', 's5'].map((s) => limits.acquireSocket('u', s)))).toEqual([true, true, false]);
  });

  it('lets everything through when disabled, and when its store fails', async () => {
    const off = new RateLimits({ settings: settings({ enabled: false }), divisor: () => 1, onReject: () => {} });
    for (let i = 0; i < 10; i++) expect(await off.take('http_auth', 'a')).toBeNull();
    const errors: unknown[] = [];
    const broken = new RateLimits({
      settings: settings(),
      divisor: () => 1,
      onReject: () => {},
      onStoreError: (e) => errors.push(e),
      factory: () => ({ consume: () => Promise.reject(new Error('redis down')) }) as never,
    });
    expect(await broken.take('http_auth', 'a')).toBeNull();
    expect(errors).toHaveLength(1);
  });
});

describe('LoadGovernor', () => {
  it('tightens when connections reach the threshold and relaxes only after the quiet period', () => {
    let connections = 0;
    const changes: number[] = [];
    const g = new LoadGovernor(
      { lagMs: 10_000, connections: 100, divisor: 2, relaxSeconds: 30 },
      () => connections,
      (d) => changes.push(d),
    );
    g.sample(0);
    expect(g.divisor).toBe(1);
    connections = 100;
    g.sample(1_000);
    expect(g.divisor).toBe(2);
    connections = 10;
    g.sample(20_000);
    expect(g.divisor).toBe(2);
    g.sample(31_000);
    expect(g.divisor).toBe(1);
    expect(changes).toEqual([2, 1]);
  });
});
