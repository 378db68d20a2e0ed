import { trace } from '@opentelemetry/api';
import type { Config } from '../config.js';

/**
 * Registers the OpenTelemetry SDK when OTEL_TRACES_EXPORTER asks for one (`otlp` or `console`). With `none` (the
 * default) nothing is loaded and the API stays a no-op. The OTLP exporter reads OTEL_EXPORTER_OTLP_* (endpoint,
 * headers, timeout) itself; resource attributes come from OTEL_RESOURCE_ATTRIBUTES; sampling follows
 * OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG. Returns a function that flushes and stops it.
 */
export async function startTracingSdk(
  config: Pick<Config, 'OTEL_TRACES_EXPORTER' | 'OTEL_SERVICE_NAME' | 'nodeId'>,
  env: Record<string, string | undefined> = process.env,
): Promise<() => Promise<void>> {
  if (config.OTEL_TRACES_EXPORTER === 'none') return async () => {};
  const sdk = await import('@opentelemetry/sdk-trace');
  const { defaultResource, detectResources, envDetector, resourceFromAttributes } = await import(
    '@opentelemetry/resources'
  );
  const exporter =
    config.OTEL_TRACES_EXPORTER === 'otlp'
      ? new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter()
      : new sdk.ConsoleSpanExporter();
  const ratio = Number(env.OTEL_TRACES_SAMPLER_ARG ?? '1');
  const root = {
    always_on: new sdk.AlwaysOnSampler(),
    always_off: new sdk.AlwaysOffSampler(),
    traceidratio: new sdk.TraceIdRatioBasedSampler(Number.isFinite(ratio) ? ratio : 1),
  };
  const name = env.OTEL_TRACES_SAMPLER ?? 'parentbased_always_on';
  const base = root[name.replace(/^parentbased_/, '') as keyof typeof root] ?? root.always_on;
  const provider = new sdk.TracerProvider({
    resource: defaultResource()
      .merge(detectResources({ detectors: [envDetector] }))
      .merge(
        resourceFromAttributes({ 'service.name': config.OTEL_SERVICE_NAME, 'service.instance.id': config.nodeId }),
      ),
    sampler: name.startsWith('parentbased_') ? new sdk.ParentBasedSampler({ root: base }) : base,
    spanProcessors: [new sdk.BatchSpanProcessor({ exporter })],
  });
  trace.setGlobalTracerProvider(provider);
  return async () => {
    await provider.shutdown();
    trace.disable();
  };
}
