import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { ConfigMap } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

const dir = fileURLToPath(new URL('../../../../ops/deploy/k8s/', import.meta.url));
const docs = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) => parseAllDocuments(readFileSync(path.join(dir, f), 'utf8')).map((d) => ({ f, obj: d.toJS() })));
const autoscaling = docs.filter((d) => d.f === 'slotcast-autoscaling.yaml').map((d) => d.obj);

describe('Kubernetes autoscaling manifests', () => {
  it('declares an HPA valid against the autoscaling/v2 schema, on sockets per pod and event-loop lag', () => {
    const hpa = autoscaling.find((o) => o.kind === 'HorizontalPodAutoscaler');
    // validate() checks the object against the Kubernetes OpenAPI schema of its kind and throws on a mismatch.
    expect(() => new HorizontalPodAutoscaler(hpa).validate()).not.toThrow();
    const metrics = hpa.spec.metrics.map((m: { pods?: { metric: { name: string } } }) => m.pods?.metric.name);
    expect(metrics).toEqual(
      expect.arrayContaining(['slotcast_socket_connections', 'nodejs_eventloop_lag_p99_seconds']),
    );
    // The Deployment it scales exists in the manifests.
    expect(docs.some((d) => d.obj.kind === 'Deployment' && d.obj.metadata.name === hpa.spec.scaleTargetRef.name)).toBe(
      true,
    );
  });

  it('rejects an HPA with a malformed target (the check can fail)', () => {
    const hpa = structuredClone(autoscaling.find((o) => o.kind === 'HorizontalPodAutoscaler'));
    hpa.spec.metrics[0].pods.target = { type: 'AverageValue', averageValue: { n: 1 } };
    expect(() => new HorizontalPodAutoscaler(hpa).validate()).toThrow();
  });

  it('ships prometheus-adapter rules for each per-pod metric the HPA uses', () => {
    const cm = autoscaling.find((o) => o.kind === 'ConfigMap');
    expect(() => new ConfigMap(cm).validate()).not.toThrow();
    const rules = parse(cm.data['config.yaml']).rules as { name: { as: string } }[];
    expect(rules.map((r) => r.name.as).sort()).toEqual([
      'nodejs_eventloop_lag_p99_seconds',
      'slotcast_socket_connections',
    ]);
  });
});
