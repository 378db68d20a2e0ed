import { API_PREFIX, DETAILS, SlotcastError } from '@slotcast/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { LimiterName, RateLimits } from '../limits/rate-limits.js';

/** Which budget a request draws from: sign-in and tokens, changes, or reads. Only the API is limited. */
export function routeClass(request: FastifyRequest): LimiterName | null {
  const url = request.routeOptions.url ?? request.url;
  if (!url.startsWith(`${API_PREFIX}/`)) return null;
  if (url.startsWith(`${API_PREFIX}/auth/`)) return 'http_auth';
  return request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS'
    ? 'http_reads'
    : 'http_mutations';
}

/**
 * HTTP rate limits per client address and route class, checked before the body is read. A refusal is a 429
 * problem+json with code RATE_LIMITED, `retryAfterMs` and a Retry-After header (see problem.ts).
 */
export function limitRequests(app: FastifyInstance, limits: RateLimits) {
  if (!limits.enabled) return;
  app.addHook('onRequest', async (request) => {
    const name = routeClass(request);
    if (!name) return;
    const waitMs = await limits.take(name, request.ip);
    if (waitMs !== null) {
      throw new SlotcastError('RATE_LIMITED', DETAILS.tooManyRequests(), {
        retryAfterMs: waitMs,
        limiter: name,
      });
    }
  });
}
