import type { RunMetadata } from '../lib/run-metadata.js';
import type { LedgerResult } from './delivery-ledger.js';
import type { HistogramSummary } from './histogram.js';
import type { LoadOptions, ScenarioName } from './options.js';
import type { TimelinePoint } from './timeline.js';
import type { Counts } from './worker-counters.js';

export interface MemoryPerSocket {
  kind: 'slotcast' | 'bare';
  /** Sockets connected between the two samples (the first tenth connects before, leaving one-time costs out). */
  sockets: number;
  /** Sockets open at the second sample, all servers together. */
  totalSockets: number;
  /** (heapUsed + external) growth per socket, after garbage collection. */
  heapPerSocket: number;
  rssPerSocket: number;
  /** Resident memory of all servers at the second sample. */
  rssBytes: number;
}

export interface ConnectFigures {
  attempted: number;
  live: number;
  failed: number;
  elapsedMs: number;
  /** Sockets live per second of the ramp. */
  achievedRate: number;
  connectMs: HistogramSummary;
  /** Handshake + replay until `replay:done`. */
  liveMs: HistogramSummary;
}

export interface StormFigures {
  clients: number;
  missedEach: number;
  /** Events appended while the clients were away. */
  appended: number;
  appendMs: number;
  /** From the moment every client started reconnecting to the last `replay:done`. */
  durationMs: number;
  live: number;
  failed: number;
  replayed: number;
  /** Per client: reconnect started → replay done. */
  liveMs: HistogramSummary;
}

export interface FloodFigures {
  flooders: number;
  bystanders: number;
  followAccepted: number;
  followRejected: number;
  /** Sockets the server closed for flooding (closing RATE_LIMITED). */
  closedForFlooding: number;
  httpRateLimited: number;
}

export interface ServerFigures {
  url: string;
  pid: number | null;
  source: 'metrics' | 'proc' | 'none';
  peakRssMiB: number | null;
  cpuSeconds: number | null;
  meanCpuPct: number | null;
  peakLagMs: number | null;
}

export interface GoalCheck {
  id: string;
  goal: string;
  measured: string;
  /** `not at goal scale`: the run was smaller than the goal's conditions, so it says nothing either way. */
  verdict: 'meets' | 'misses' | 'not at goal scale';
}

export interface LoadResult {
  benchmark: 'load';
  scenario: ScenarioName;
  label: string | null;
  metadata: RunMetadata & { postgres: string; backgroundCpuBusy: number };
  options: Omit<LoadOptions, 'databaseUrl' | 'jwtSecret'>;
  target: {
    mode: 'spawn' | 'external';
    urls: string[];
    serverKind: 'slotcast' | 'bare';
    serverEnv: Record<string, string>;
  };
  population: { accounts: number; vendors: number; clients: number; staff: number; customers: number };
  phases: { name: string; fromS: number; toS: number }[];
  connect: ConnectFigures;
  deliveries: {
    delivered: number;
    replayed: number;
    /** Events at or below a client's cursor when they arrived (dropped, as the SDK does). */
    duplicatesDropped: number;
    /** Live deliveries per second over the measured phase. */
    perSecMeasured: number;
    latency: HistogramSummary;
    latencyMeasured: HistogramSummary;
    distribution: { percentile: number; ms: number }[];
  };
  transitions: {
    attempted: number;
    completed: number;
    failed: number;
    lateStarts: number;
    perSec: number;
    errorSamples: string[];
  };
  http: { ok: number; errors: number; latency: HistogramSummary };
  totals: Counts;
  errors: Record<string, number>;
  ledger: LedgerResult | null;
  storm: StormFigures | null;
  flood: FloodFigures | null;
  memory: {
    slotcast: MemoryPerSocket | null;
    baseline: MemoryPerSocket | null;
    heapRatio: number | null;
    rssRatio: number | null;
  };
  servers: ServerFigures[];
  generator: { workers: number; sourceAddresses: number; meanCpuPct: number; peakCpuPct: number; peakRssMiB: number };
  timeline: TimelinePoint[];
  goals: GoalCheck[];
}

const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(v < 10 ? 1 : 0)} ms` : 'n/a');
const n = (v: number) => Math.round(v).toLocaleString('en-US');

/**
 * The goals, judged on what this run measured. A run smaller than a goal's conditions (fewer sockets, a lower
 * rate) is reported as such rather than as a pass or a fail.
 */
export function checkGoals(r: Omit<LoadResult, 'goals'>): GoalCheck[] {
  const out: GoalCheck[] = [];
  const servers = r.servers.length;
  if (r.scenario === 'idle' && r.target.serverKind === 'slotcast') {
    const live = r.connect.live;
    const needed = servers === 1 ? 19_000 : 39_000;
    out.push({
      id: servers === 1 ? 'P4 sockets (one process)' : `P4 sockets (${servers} processes)`,
      goal:
        servers === 1
          ? '≥ 19,000 authenticated sockets on one process'
          : '≥ 39,000 authenticated sockets on two processes',
      measured: `${n(live)} live sockets on ${servers} process${servers > 1 ? 'es' : ''}, ${r.connect.failed} failed`,
      verdict: r.connect.failed > 0 ? 'misses' : live >= needed && servers <= 2 ? 'meets' : 'not at goal scale',
    });
    const m = r.memory;
    if (m.slotcast && m.baseline && m.heapRatio !== null && m.rssRatio !== null) {
      const scale = live >= needed;
      for (const [what, ratio, per, bare] of [
        ['heap + external', m.heapRatio, m.slotcast.heapPerSocket, m.baseline.heapPerSocket],
        ['RSS', m.rssRatio, m.slotcast.rssPerSocket, m.baseline.rssPerSocket],
      ] as const) {
        out.push({
          id: `P4 memory (${what})`,
          goal: '≤ 1.3× the memory per socket of a bare Socket.IO server',
          measured: `${ratio.toFixed(2)}×: ${n(per)} B vs ${n(bare)} B per socket`,
          verdict: ratio > 1.3 ? 'misses' : scale ? 'meets' : 'not at goal scale',
        });
      }
    }
  }
  if (r.scenario === 'reconnect-storm' && r.storm) {
    const s = r.storm;
    const scale = s.clients >= 20_000 && s.missedEach >= 10;
    const lost = r.ledger?.lost ?? Number.NaN;
    const dup = (r.ledger?.duplicated ?? Number.NaN) + r.deliveries.duplicatesDropped;
    const ok = s.durationMs <= 30_000 && lost === 0 && dup === 0 && s.failed === 0;
    out.push({
      id: 'P5',
      goal: '20,000 clients reconnect and replay 10 missed events each in ≤ 30 s, 0 lost, 0 duplicated',
      measured: `${n(s.live)}/${n(s.clients)} back with ${s.missedEach} missed each in ${(s.durationMs / 1000).toFixed(1)} s; lost ${lost}, duplicated ${dup}`,
      verdict: !ok ? 'misses' : scale ? 'meets' : 'not at goal scale',
    });
  }
  if (r.scenario === 'browse-book-cancel' || r.scenario === 'staff') {
    const p99 = r.deliveries.latencyMeasured.p99Ms;
    const scale = r.transitions.perSec >= 0.95 * 500 && r.connect.live >= 10_000;
    out.push({
      id: 'P2',
      goal: 'commit→screen p99 ≤ 25 ms at 500 booking transitions/s with 10,000 sockets (PostgreSQL)',
      measured: `p99 ${ms(p99)} (p50 ${ms(r.deliveries.latencyMeasured.p50Ms)}) at ${r.transitions.perSec.toFixed(0)} transitions/s with ${n(r.connect.live)} sockets`,
      verdict: p99 > 25 ? 'misses' : scale ? 'meets' : 'not at goal scale',
    });
  }
  if (r.ledger) {
    const bad = r.ledger.lost + r.ledger.duplicated + r.ledger.unexpected + r.ledger.outOfOrder;
    out.push({
      id: 'Delivery',
      goal: 'every event once, in order, to exactly the clients allowed to see it',
      measured: `${n(r.ledger.expected)} expected deliveries to ${n(r.ledger.checked)} clients: lost ${r.ledger.lost}, duplicated ${r.ledger.duplicated}, unexpected ${r.ledger.unexpected}, out of order ${r.ledger.outOfOrder}`,
      verdict: bad === 0 ? 'meets' : 'misses',
    });
  }
  return out;
}
