import type { Span } from '@opentelemetry/api';
import { SpanStatusCode } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Metrics } from '../observability/metrics.js';
import type { Tracing } from '../observability/tracing.js';
import { toProblem } from './problem.js';

/** Requests that matched no route share one label, so probing random URLs cannot grow the series without bound. */
export const UNMATCHED_ROUTE = 'unmatched';

const spans = new WeakMap<FastifyRequest, Span>();

/**
 * Per request: the request id echoed in `x-request-id`, HTTP metrics by route pattern (never the raw URL), problem
 * codes, the caller's user id in the completion log line, and a server span when tracing is on.
 */
export function observeRequests(app: FastifyInstance, deps: { metrics: Metrics; tracing: Tracing }) {
  const { metrics, tracing } = deps;

  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    if (tracing.enabled) {
      const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
      const traceparent = request.headers.traceparent;
      const span = tracing.startServerSpan(
        `${request.method} ${route}`,
        typeof traceparent === 'string' ? traceparent : undefined,
        { 'http.request.method': request.method, 'http.route': route, 'url.path': request.url.split('?')[0]! },
      );
      if (span) spans.set(request, span);
    }
    done();
  });

  if (tracing.enabled) {
    // Enter the span where the handler runs, so the transaction and the events it appends become its children.
    app.addHook('preHandler', (request, _reply, done) => {
      const span = spans.get(request);
      if (span) tracing.runWithSpan(span, done);
      else done();
    });
  }

  app.addHook('onError', (_request, _reply, err, done) => {
    metrics.httpProblems.inc({ code: toProblem(err).code });
    done();
  });

  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    const status = reply.statusCode;
    metrics.httpRequests.inc({ route, method: request.method, status: String(status) });
    metrics.httpDuration.observe({ route, method: request.method }, reply.elapsedTime / 1000);
    // The handler may have bound the user id to request.log; Fastify logs "request completed" with reply.log.
    if (reply.log !== request.log) reply.log = request.log;
    const span = spans.get(request);
    if (span) {
      span.setAttribute('http.response.status_code', status);
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      spans.delete(request);
    }
    done();
  });
}
