import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Server } from 'socket.io';

export interface RedisAdapterHandle {
  /** /readyz: fails once Redis has been unreachable longer than the grace period. */
  check(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Puts the Socket.IO server on the Redis (pub/sub) adapter, so room broadcasts, disconnectSockets, fetchSockets and
 * serverSideEmit reach every node. Booking events do not travel this way: each node emits them to its own sockets
 * (`io.local`) from its bus, so Redis carries only the cross-node operations, and a Redis outage loses no event.
 */
export function useRedisAdapter(
  io: Server,
  url: string,
  logger: Logger,
  opts: { readinessGraceMs?: number } = {},
): RedisAdapterHandle {
  const grace = opts.readinessGraceMs ?? 15_000;
  let downSince: number | null = Date.now();
  let lastWarn = 0;
  const client = (role: string) => {
    // Retry for ever, with a capped back-off; commands wait (offline queue) and go out on reconnection.
    const c = new Redis(url, {
      connectionName: `slotcast-${role}`,
      retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 6), 3000),
      maxRetriesPerRequest: null,
      enableReadyCheck: true,
    });
    // Without a listener an 'error' would crash the process; ioredis reconnects by itself.
    c.on('error', (err) => {
      if (Date.now() - lastWarn > 10_000) {
        lastWarn = Date.now();
        logger.warn({ err, role }, 'Redis unreachable; reconnecting');
      }
    });
    return c;
  };
  const pub = client('pub');
  const sub = client('sub');
  const track = () => {
    const up = pub.status === 'ready' && sub.status === 'ready';
    if (up) downSince = null;
    else downSince ??= Date.now();
  };
  for (const c of [pub, sub]) for (const e of ['ready', 'close', 'end', 'reconnecting']) c.on(e, track);
  io.adapter(createAdapter(pub, sub, { key: 'slotcast', requestsTimeout: 3000 }));

  return {
    async check() {
      track();
      if (downSince !== null && Date.now() - downSince > grace)
        throw new Error(`unreachable for ${Math.round((Date.now() - downSince) / 1000)} s`);
    },
    async close() {
      pub.disconnect();
      sub.disconnect();
    },
  };
}
