import { trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { contextFromTraceparent, currentTraceparent, Tracing, tracingRegistered } from './tracing.js';
import { startTracingSdk } from './tracing-sdk.js';

const config = { OTEL_SERVICE_NAME: 'slotcast-test', nodeId: 'node-1' } as const;

describe('tracing', () => {
  afterEach(() => trace.disable());

  it('is off without an SDK: the node creates no spans and stores no trace context', async () => {
    const stop = await startTracingSdk({ ...config, OTEL_TRACES_EXPORTER: 'none' });
    expect(tracingRegistered()).toBe(false);
    const tracing = new Tracing();
    expect(tracing.enabled).toBe(false);
    expect(await tracing.inSpan('x', {}, async () => currentTraceparent())).toBeUndefined();
    await stop();
  });

  it('registers the SDK with OTEL_TRACES_EXPORTER, and spans nest through async work', async () => {
    const stop = await startTracingSdk(
      { ...config, OTEL_TRACES_EXPORTER: 'console' },
      { OTEL_TRACES_SAMPLER: 'always_on' },
    );
    expect(tracingRegistered()).toBe(true);
    const tracing = new Tracing();
    expect(tracing.enabled).toBe(true);
    const [outer, inner] = await tracing.inSpan('outer', {}, async () => {
      const o = currentTraceparent();
      await new Promise((r) => setTimeout(r, 1));
      return [o, await tracing.inSpan('inner', {}, async () => currentTraceparent())];
    });
    expect(outer).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(inner!.slice(0, 35)).toBe(outer!.slice(0, 35));
    expect(inner).not.toBe(outer);
    expect(currentTraceparent()).toBeUndefined();
    await stop();
    expect(tracingRegistered()).toBe(false);
  });

  it('reads a W3C traceparent, and ignores malformed or all-zero ones', () => {
    const ctx = contextFromTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    expect(trace.getSpanContext(ctx)).toMatchObject({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: 1,
      isRemote: true,
    });
    for (const bad of [undefined, 'garbage', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`, '01-4bf9-00f0-01']) {
      expect(trace.getSpanContext(contextFromTraceparent(bad))).toBeUndefined();
    }
  });
});
