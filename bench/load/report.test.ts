import { describe, expect, it } from 'vitest';
import type { LedgerResult } from './delivery-ledger.js';
import { LatencyHistogram } from './histogram.js';
import { renderHtml } from './html-report.js';
import { checkGoals, type LoadResult } from './result.js';
import { formatSummary } from './summary.js';
import type { TimelinePoint } from './timeline.js';
import { zeroCounts } from './worker-counters.js';

const summary = (values: number[]) => {
  const h = LatencyHistogram.create();
  for (const v of values) h.recordMs(v);
  return h.summary();
};

const point = (t: number, phase: string): TimelinePoint => ({
  t,
  phase,
  open: 100,
  live: 100,
  connectsPerSec: 0,
  deliveredPerSec: 50,
  replayedPerSec: 0,
  transitionsPerSec: 5,
  httpPerSec: 8,
  errorsPerSec: 0,
  latencyP50Ms: 4,
  latencyP99Ms: t === 3 ? null : 30,
  latencyMaxMs: 40,
  serverCpuPct: 40,
  serverRssMiB: 210,
  serverHeapMiB: 60,
  serverLagMs: 3,
  serverHandshakesWaiting: 0,
  serverConnectsPerSec: 0,
  serverReplaysPerSec: 0,
  serverQueriesPerSec: 12,
  generatorCpuPct: 10,
  machineCpuPct: 55,
});

const ledger = (lost = 0): LedgerResult => ({
  clients: 100,
  checked: 100,
  expected: 1000,
  received: 1000 - lost,
  lost,
  duplicated: 0,
  unexpected: 0,
  outOfOrder: 0,
  clientsWithLoss: lost ? 1 : 0,
  clientsWithDuplicates: 0,
  skipped: { neverLive: 0, resynced: 0, overflow: 0 },
  samples: lost ? ['u1: missed 1 events, the first 7 (customer, baseline 0)'] : [],
  through: 1000,
});

function result(over: Partial<LoadResult> = {}): LoadResult {
  const r: Omit<LoadResult, 'goals'> = {
    benchmark: 'load',
    scenario: 'browse-book-cancel',
    label: 'a <label>',
    metadata: {
      date: '2026-11-25T10:00:00.000Z',
      node: 'v20',
      platform: 'Linux',
      arch: 'x64',
      cpus: 2,
      cpuModel: 'CPU',
      totalMemoryGiB: 24,
      gitCommit: 'abc',
      postgres: 'PostgreSQL 15.1 on x86_64',
      backgroundCpuBusy: 0.05,
    },
    options: {} as LoadResult['options'],
    target: { mode: 'spawn', urls: ['http://127.0.0.1:1'], serverKind: 'slotcast', serverEnv: { LOG_LEVEL: 'warn' } },
    population: { accounts: 100, vendors: 1, clients: 100, staff: 10, customers: 90 },
    phases: [
      { name: 'ramp', fromS: 0, toS: 2 },
      { name: 'load', fromS: 2, toS: 5 },
    ],
    connect: {
      attempted: 100,
      live: 100,
      failed: 0,
      elapsedMs: 2000,
      achievedRate: 50,
      connectMs: summary([5, 6]),
      liveMs: summary([7]),
    },
    deliveries: {
      delivered: 150,
      replayed: 0,
      duplicatesDropped: 0,
      perSecMeasured: 50,
      latency: summary([4, 30]),
      latencyMeasured: summary([4, 30]),
      distribution: [
        { percentile: 0, ms: 4 },
        { percentile: 50, ms: 4 },
        { percentile: 100, ms: 30 },
      ],
    },
    transitions: { attempted: 15, completed: 15, failed: 0, lateStarts: 0, perSec: 5, errorSamples: [] },
    http: { ok: 24, errors: 1, latency: summary([10]) },
    totals: { ...zeroCounts(), transitions: 15, delivered: 150 },
    errors: { 'http:BOOKING_SLOT_TAKEN': 1 },
    ledger: ledger(),
    storm: null,
    flood: null,
    memory: { slotcast: null, baseline: null, heapRatio: null, rssRatio: null },
    servers: [
      {
        url: 'http://127.0.0.1:1',
        pid: 1,
        source: 'metrics',
        peakRssMiB: 210,
        cpuSeconds: 1,
        meanCpuPct: 40,
        peakLagMs: 3,
      },
    ],
    generator: { workers: 2, sourceAddresses: 16, meanCpuPct: 10, peakCpuPct: 12, peakRssMiB: 300 },
    timeline: [point(1, 'ramp'), point(2, 'load'), point(3, 'load'), point(4, 'load')],
    ...over,
  };
  return { ...r, goals: checkGoals(r) };
}

describe('checkGoals', () => {
  it('judges P2 on the measured phase and says when the run was smaller than the goal', () => {
    const g = result().goals.find((x) => x.id === 'P2')!;
    expect(g.verdict).toBe('misses'); // p99 30 ms > 25 ms, whatever the scale
    const fast = result({ deliveries: { ...result().deliveries, latencyMeasured: summary([4, 5]) } });
    expect(fast.goals.find((x) => x.id === 'P2')!.verdict).toBe('not at goal scale');
  });

  it('fails delivery on any lost event, and P5 on loss or a slow storm', () => {
    expect(result({ ledger: ledger(1) }).goals.find((x) => x.id === 'Delivery')!.verdict).toBe('misses');
    const storm = {
      clients: 20_000,
      missedEach: 10,
      appended: 200_000,
      appendMs: 1,
      durationMs: 25_000,
      live: 20_000,
      failed: 0,
      replayed: 200_000,
      liveMs: summary([1000]),
    };
    const ok = result({ scenario: 'reconnect-storm', storm });
    expect(ok.goals.find((x) => x.id === 'P5')!.verdict).toBe('meets');
    const slow = result({ scenario: 'reconnect-storm', storm: { ...storm, durationMs: 31_000 } });
    expect(slow.goals.find((x) => x.id === 'P5')!.verdict).toBe('misses');
  });

  it('judges P4 on live sockets, failures and the memory ratio against bare Socket.IO', () => {
    const mem = (heapPerSocket: number) => ({
      kind: 'slotcast' as const,
      sockets: 17_100,
      totalSockets: 19_000,
      heapPerSocket,
      rssPerSocket: heapPerSocket,
      rssBytes: 1,
    });
    const idle = (heap: number) =>
      result({
        scenario: 'idle',
        connect: { ...result().connect, attempted: 19_000, live: 19_000 },
        memory: {
          slotcast: mem(heap),
          baseline: { ...mem(10_000), kind: 'bare' },
          heapRatio: heap / 10_000,
          rssRatio: heap / 10_000,
        },
      }).goals.filter((x) => x.id.startsWith('P4'));
    expect(idle(12_000).map((g) => [g.id, g.verdict])).toEqual([
      ['P4 sockets (one process)', 'meets'],
      ['P4 memory (heap + external)', 'meets'],
      ['P4 memory (RSS)', 'meets'],
    ]);
    expect(idle(14_000).map((g) => g.verdict)).toEqual(['meets', 'misses', 'misses']);
  });
});

describe('formatSummary', () => {
  it('states the machine, the target, the figures, the ledger and the goals', () => {
    const text = formatSummary(result({ ledger: ledger(1) }));
    expect(text).toContain('Slotcast load test: browse-book-cancel — a <label>');
    expect(text).toContain('2 × CPU');
    expect(text).toContain('lost 1');
    expect(text).toContain('u1: missed 1 events');
    expect(text).toContain('http:BOOKING_SLOT_TAKEN 1');
    expect(text).toMatch(/\| P2 +\| misses/);
  });
});

describe('renderHtml', () => {
  it('is one self-contained page: charts as inline SVG, no scripts or external resources, text escaped', () => {
    const html = renderHtml(result());
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<svg /g)?.length).toBe(7);
    expect(html).not.toMatch(/<script|<link|src=|href=/);
    expect(html).toContain('a &lt;label&gt;');
    expect(html).not.toContain('a <label>');
    expect(html).toContain('P2: misses');
    expect(html).toContain('Commit → receive latency (per second)');
  });

  it('still renders a run without samples (charts say so)', () => {
    const empty = result({ timeline: [], deliveries: { ...result().deliveries, distribution: [] } });
    expect(renderHtml(empty)).toContain('no data');
  });
});
