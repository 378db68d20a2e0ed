import type { FastifyInstance } from 'fastify';
import { withTimeout } from '../with-timeout.js';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

/**
 * Runs every check at once, each bounded by `timeoutMs` (a check that hangs counts as failed): each check's name →
 * 'ok' or why it failed.
 */
export async function runReadinessChecks(checks: ReadinessCheck[], timeoutMs: number): Promise<Record<string, string>> {
  const results: Record<string, string> = {};
  await Promise.all(
    checks.map(async (c) => {
      try {
        await withTimeout(c.check(), timeoutMs);
        results[c.name] = 'ok';
      } catch (err) {
        results[c.name] = err instanceof Error ? err.message : 'failed';
      }
    }),
  );
  return results;
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
    const results = await runReadinessChecks(checks, 2000);
    let ready = Object.values(results).every((r) => r === 'ok');
    if (deps.isDraining()) {
      ready = false;
      results.server = 'draining';
    }
    reply.code(ready ? 200 : 503);
    if (!ready) reply.header('retry-after', '5');
    return { status: ready ? 'ready' : 'not_ready', checks: results };
  });
}
