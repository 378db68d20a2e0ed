import type { Problem } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { api } from '../support/world.js';
import { freePort, PrivateRedis } from './support/services.js';

const skip = inject('clusterMissing').length > 0;

describe.skipIf(skip)('rate limits shared through Redis', () => {
  let redis: PrivateRedis;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    // Two nodes, one budget: 6 reads a minute per client address across the cluster.
    // Adaptive tightening off: a busy test machine must not change the budget under the test.
    const env = {
      REDIS_URL: redis.url,
      RATE_LIMITS_ENABLED: 'true',
      RATE_LIMIT_HTTP_READS: '6/60',
      RATE_LIMIT_TIGHTEN_LAG_MS: '60000',
    };
    a = await startTestServer('pglite', env);
    b = await startTestServer('pglite', env);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  it('counts requests to either node against one budget, and keeps limiting per node while Redis is down', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await api(a, 'GET', '/vendors')).status);
    for (let i = 0; i < 4; i++) statuses.push((await api(b, 'GET', '/vendors')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
    const limited = await api<Problem>(b, 'GET', '/vendors');
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);

    // Redis gone: each node limits on its own with the same rate, and answers rather than failing.
    await redis.stop();
    const during: number[] = [];
    for (let i = 0; i < 8; i++) during.push((await api(a, 'GET', '/vendors')).status);
    expect(during.filter((s) => s === 200)).toHaveLength(6);
    expect(during.filter((s) => s === 429)).toHaveLength(2);
  });
});
