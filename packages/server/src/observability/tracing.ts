import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type Attributes,
  type Context,
  ProxyTracerProvider,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';

/**
 * The trace context of the work in progress. Slotcast keeps its own instead of relying on a global context manager,
 * so it works with whatever SDK is registered (or a provider a test passes in), and costs nothing while tracing is
 * off: nothing ever enters it then.
 */
const current = new AsyncLocalStorage<Context>();

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** True when an OpenTelemetry SDK registered a tracer provider (the API alone is a no-op). */
export function tracingRegistered(): boolean {
  const provider = trace.getTracerProvider();
  return !(provider instanceof ProxyTracerProvider) || provider.getDelegateTracer('slotcast') !== undefined;
}

/** The W3C traceparent of the current span, if any: stored in each appended event so one trace follows a change. */
export function currentTraceparent(): string | undefined {
  const ctx = current.getStore();
  const span = ctx && trace.getSpan(ctx);
  return span ? traceparentOf(span) : undefined;
}

export function traceparentOf(span: Span): string | undefined {
  const sc = span.spanContext();
  if (!trace.isSpanContextValid(sc)) return undefined;
  return `00-${sc.traceId}-${sc.spanId}-${(sc.traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}

/** A remote parent context from a traceparent header or stored value; ROOT_CONTEXT when absent or malformed. */
export function contextFromTraceparent(traceparent: string | undefined): Context {
  const m = traceparent ? TRACEPARENT.exec(traceparent) : null;
  if (!m || m[1] === '0'.repeat(32) || m[2] === '0'.repeat(16)) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: m[1]!,
    spanId: m[2]!,
    traceFlags: Number.parseInt(m[3]!, 16),
    isRemote: true,
  });
}

/** Spans of one Slotcast node: HTTP request → database transaction → event appended → socket emission. */
export class Tracing {
  readonly enabled: boolean;
  private readonly tracer: Tracer | null;

  /** With no provider, uses the globally registered SDK if there is one; otherwise tracing is off. */
  constructor(provider?: TracerProvider) {
    const p = provider ?? (tracingRegistered() ? trace.getTracerProvider() : null);
    this.tracer = p ? p.getTracer('slotcast') : null;
    this.enabled = this.tracer !== null;
  }

  /** Runs `fn` in a child span of the current one. */
  inSpan<T>(name: string, attributes: Attributes, fn: () => Promise<T>): Promise<T> {
    if (!this.tracer) return fn();
    const parent = current.getStore() ?? ROOT_CONTEXT;
    const span = this.tracer.startSpan(name, { attributes }, parent);
    return current.run(trace.setSpan(parent, span), async () => {
      try {
        return await fn();
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw err;
      } finally {
        span.end();
      }
    });
  }

  /** Starts a child of the current span; the caller ends it. */
  startSpan(name: string, attributes: Attributes): Span | null {
    if (!this.tracer) return null;
    return this.tracer.startSpan(name, { attributes }, current.getStore() ?? ROOT_CONTEXT);
  }

  /** A server span for an incoming request, continuing the caller's trace when it sent a traceparent. */
  startServerSpan(name: string, traceparent: string | undefined, attributes: Attributes): Span | null {
    if (!this.tracer) return null;
    return this.tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, contextFromTraceparent(traceparent));
  }

  /** Runs `fn` (and everything it starts) with `span` as the current span. */
  runWithSpan<T>(span: Span, fn: () => T): T {
    return current.run(trace.setSpan(ROOT_CONTEXT, span), fn);
  }

  /**
   * One span per emitted event that carries a trace: it starts at the event's commit and ends now, so its duration is
   * the commit→emit latency, and it sits in the trace of the request that made the change.
   */
  emitted(events: readonly { id: number; type: string; occurredAt: string; traceparent?: string }[], node: string) {
    if (!this.tracer) return;
    const now = Date.now();
    for (const e of events) {
      if (!e.traceparent) continue;
      const span = this.tracer.startSpan(
        'realtime.emit',
        {
          kind: SpanKind.PRODUCER,
          startTime: Math.min(Date.parse(e.occurredAt), now),
          attributes: { 'slotcast.event.id': e.id, 'slotcast.event.type': e.type, 'slotcast.node': node },
        },
        contextFromTraceparent(e.traceparent),
      );
      span.end(now);
    }
  }
}
