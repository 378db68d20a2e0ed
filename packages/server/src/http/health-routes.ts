import type { FastifyInstance } from 'fastify';
import type { Db } from '../store/db.js';
import { withTimeout } from '../with-timeout.js';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

export function healthRoutes(
  app: FastifyInstance,
  deps: { db: Db; extraChecks?: ReadinessCheck[]; isDraining: () => boolean },
) {
  // Alive: the process answers. Load balancers restart on this failing, so it checks nothing else.
  app.get('/healthz', async () => ({ status: 'ok' }));

  // Ready: every dependency answers. Load balancers stop sending traffic while this fails.
  app.get('/readyz', async (_request, reply) => {
    const checks: ReadinessCheck[] = [
      {
        name: 'database',
        check: async () => {
          // While the queue for connections is full the node sheds requests: send them to another node.
          const pool = deps.db.stats();
          if (pool.waiting >= pool.queueLimit) throw new Error(`saturated: ${pool.waiting} waiting, requests shed`);
          await deps.db.query('SELECT 1');
        },
      },
      ...(deps.extraChecks ?? []),
    ];
    const results: Record<string, string> = {};
    let ready = !deps.isDraining();
    if (!ready) results.server = 'draining';
    await Promise.all(
      checks.map(async (c) => {
        try {
          await withTimeout(c.check(), 2000);
          results[c.name] = 'ok';
        } catch (err) {
          ready = false;
          results[c.name] = err instanceof Error ? err.message : 'failed';
        }
      }),
    );
    reply.code(ready ? 200 : 503);
    if (!ready) reply.header('retry-after', '5');
    return { status: ready ? 'ready' : 'not_ready', checks: results };
  });
}
