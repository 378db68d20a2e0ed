import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { LimiterFactory } from './rate-limits.js';

/**
 * Rate-limit budgets kept in Redis, so every node draws on one budget per key. While Redis is unreachable each
 * limiter falls back to an in-memory one of the same rate (per node), so limits stay on and requests are not failed.
 */
export function redisLimiters(url: string, logger: Logger): { factory: LimiterFactory; close(): Promise<void> } {
  let lastWarn = 0;
  const client = new Redis(url, {
    connectionName: 'slotcast-limits',
    // Fail fast instead of queueing: the insurance limiter answers while Redis is away.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 6), 3000),
  });
  client.on('error', (err) => {
    if (Date.now() - lastWarn > 10_000) {
      lastWarn = Date.now();
      logger.warn({ err }, 'Redis unreachable for rate limits; limiting per node meanwhile');
    }
  });
  return {
    factory: (o) =>
      new RateLimiterRedis({
        storeClient: client,
        keyPrefix: `slotcast:rl:${o.keyPrefix}`,
        points: o.points,
        duration: o.duration,
        insuranceLimiter: new RateLimiterMemory(o),
      }),
    async close() {
      client.disconnect();
    },
  };
}
