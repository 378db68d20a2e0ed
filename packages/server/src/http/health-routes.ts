import type { FastifyInstance } from 'fastify';
import { withTimeout } from '../with-timeout.js';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

export function healthRoutes(
  app: FastifyInstance,
  deps: { pingDatabase: () => Promise<void>; extraChecks?: ReadinessCheck[]; isDraining: () => boolean },
) {
  // Alive: the process answers. Load balancers restart on this failing, so it checks nothing else.
  app.get('/healthz', async () => ({ status: 'ok' }));

  // Ready: every dependency answers. Load balancers stop sending traffic while this fails.
  app.get('/readyz', async (_request, reply) => {
    const checks: ReadinessCheck[] = [{ name: 'database', check: deps.pingDatabase }, ...(deps.extraChecks ?? [])];
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
