import { timingSafeEqual } from 'node:crypto';
import { DETAILS, SlotcastError } from '@slotcast/protocol';
import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../observability/metrics.js';

/** GET /metrics in the Prometheus text format; behind a bearer token when METRICS_TOKEN is set. */
export function metricsRoute(app: FastifyInstance, deps: { metrics: Metrics; token?: string }) {
  const expected = deps.token ? Buffer.from(`Bearer ${deps.token}`) : null;
  app.get('/metrics', async (request, reply) => {
    if (expected) {
      const got = Buffer.from(request.headers.authorization ?? '');
      if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
        throw new SlotcastError('AUTH_REQUIRED', DETAILS.metricsToken());
      }
    }
    const { contentType, body } = await deps.metrics.exposition();
    return reply.type(contentType).send(body);
  });
}
