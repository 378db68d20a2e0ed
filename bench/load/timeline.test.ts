import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from './histogram.js';
import type { ServerSample } from './server-sampler.js';
import { Timeline } from './timeline.js';
import { type Snapshot, zeroCounts } from './worker-counters.js';

function snapshot(over: Partial<Snapshot> & { latencies?: number[] } = {}): Snapshot {
  const h = LatencyHistogram.create();
  for (const ms of over.latencies ?? []) h.recordMs(ms);
  return {
    at: 0,
    open: 0,
    live: 0,
    counts: zeroCounts(),
    errors: {},
    histograms: { latency: h.encode(), connect: '', live: '', http: '' },
    lastLiveAt: 0,
    cpuMs: 0,
    rssBytes: 0,
    ...over,
  };
}
const server = (at: number, cpuSeconds: number, rssBytes = 100 * 2 ** 20): ServerSample => ({
  at,
  source: 'proc',
  rssBytes,
  cpuSeconds,
  heapUsedBytes: null,
  eventLoopLagP99Ms: null,
  sockets: null,
  handshakesWaiting: null,
  socketConnects: null,
  replays: null,
  dbQueries: null,
});

describe('Timeline', () => {
  it('adds the workers up into rates per second, totals and merged latency', () => {
    const t = new Timeline(0);
    const a = snapshot({ open: 10, counts: { ...zeroCounts(), delivered: 100 }, latencies: [5, 5], errors: { x: 1 } });
    const b = snapshot({ open: 5, counts: { ...zeroCounts(), delivered: 300 }, latencies: [50], cpuMs: 500 });
    const p = t.add({ at: 2000, phase: 'load', snapshots: [a, b], servers: [], machineBusy: 0.5 });
    expect(p).toMatchObject({ t: 2, open: 15, deliveredPerSec: 200, errorsPerSec: 0.5, generatorCpuPct: 25 });
    expect(p.machineCpuPct).toBe(50);
    expect(p.latencyP50Ms).toBeCloseTo(5, 1);
    expect(p.latencyMaxMs).toBeCloseTo(50, 0);
    expect(t.totals.delivered).toBe(400);
    expect(t.errors).toEqual({ x: 1 });
    expect(t.histograms.latency.count).toBe(3);
    expect(t.phaseHistogram('load', 'latency').count).toBe(3);
    expect(t.phaseHistogram('other', 'latency').count).toBe(0);
  });

  it('derives server CPU from consecutive samples, summed over servers, and leaves it empty on the first tick', () => {
    const t = new Timeline(0);
    const first = t.add({
      at: 1000,
      phase: 'p',
      snapshots: [],
      servers: [server(1000, 10), server(1000, 20)],
      machineBusy: null,
    });
    expect(first.serverCpuPct).toBeNull();
    expect(first.serverRssMiB).toBe(200);
    const second = t.add({
      at: 3000,
      phase: 'p',
      snapshots: [],
      servers: [server(3000, 11), server(3000, 20.5)],
      machineBusy: null,
    });
    expect(second.serverCpuPct).toBeCloseTo(75, 5); // (1 + 0.5) s of CPU in 2 s
    expect(second.latencyP99Ms).toBeNull();
  });
});
