import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { type LimiterFactory, MemoryConcurrency } from './rate-limits.js';
import { RedisConcurrency } from './redis-concurrency.js';

/**
 * Rate-limit budgets and open sockets per user kept in Redis, so every node draws on one budget per key. While Redis
 * is unreachable each limiter falls back to an in-memory one of the same rate (per node), so limits stay on and
 * requests are not failed.
 */
export function redisLimiters(
  url: string,
  logger: Logger,
): { factory: LimiterFactory; concurrency: RedisConcurrency; close(): Promise<void> } {
  let lastWarn = 0;
  const client = new Redis(url, {
    connectionName: 'slotcast-limits',
    // Fail fast instead of queueing: the insurance limiter answers while Redis is away.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 6), 3000),
  });
  const warn = (err: unknown) => {
    if (Date.now() - lastWarn > 10_000) {
      lastWarn = Date.now();
      logger.warn({ err }, 'Redis unreachable for rate limits; limiting per node meanwhile');
    }
  };
  client.on('error', warn);
  const concurrency = new RedisConcurrency(client, new MemoryConcurrency(), { onError: warn });
  return {
    factory: (o) =>
      new RateLimiterRedis({
        storeClient: client,
        keyPrefix: `slotcast:rl:${o.keyPrefix}`,
        points: o.points,
        duration: o.duration,
        insuranceLimiter: new RateLimiterMemory(o),
      }),
    concurrency,
    async close() {
      concurrency.stop();
      client.disconnect();
    },
  };
}
