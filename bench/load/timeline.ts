import { LatencyHistogram } from './histogram.js';
import type { ServerSample } from './server-sampler.js';
import {
  COUNT_NAMES,
  type Counts,
  HISTOGRAM_NAMES,
  type HistogramName,
  type Snapshot,
  zeroCounts,
} from './worker-counters.js';

/** One second (or so) of the run, all workers and servers together. Rates are per second over the tick. */
export interface TimelinePoint {
  /** Seconds since the run started. */
  t: number;
  phase: string;
  open: number;
  live: number;
  connectsPerSec: number;
  deliveredPerSec: number;
  replayedPerSec: number;
  transitionsPerSec: number;
  httpPerSec: number;
  errorsPerSec: number;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
  latencyMaxMs: number | null;
  /** All servers together, in % of one core. */
  serverCpuPct: number | null;
  serverRssMiB: number | null;
  serverHeapMiB: number | null;
  /** The worst server's event-loop lag p99. */
  serverLagMs: number | null;
  /** Handshakes queued for authentication, all servers together. */
  serverHandshakesWaiting: number | null;
  /** Per second, all servers together: sockets connected (past authentication), replays started, SQL statements. */
  serverConnectsPerSec: number | null;
  serverReplaysPerSec: number | null;
  serverQueriesPerSec: number | null;
  /** All load generator workers together, in % of one core. */
  generatorCpuPct: number;
  /** The whole machine, 0..100. */
  machineCpuPct: number | null;
}

export interface Tick {
  at: number;
  phase: string;
  snapshots: readonly Snapshot[];
  /** One sample per server, in the same order every tick. */
  servers: readonly ServerSample[];
  machineBusy: number | null;
}

const nullIfNaN = (v: number) => (Number.isFinite(v) ? v : null);

/**
 * Folds the workers' snapshots (counts and histograms since their previous one) and the server samples into totals
 * and a point per tick: what the report's charts show.
 */
export class Timeline {
  readonly points: TimelinePoint[] = [];
  readonly totals: Counts = zeroCounts();
  readonly errors: Record<string, number> = {};
  readonly histograms: Record<HistogramName, LatencyHistogram> = {
    latency: LatencyHistogram.create(),
    connect: LatencyHistogram.create(),
    live: LatencyHistogram.create(),
    http: LatencyHistogram.create(),
  };
  /** The same histograms per phase (a goal is judged on its phase: the load, the storm). */
  readonly byPhase = new Map<string, Record<HistogramName, LatencyHistogram>>();
  private last: Tick | null = null;
  peakOpen = 0;
  lastLiveAt = 0;

  constructor(readonly startedAt: number) {}

  /** The histogram `name` of one phase (empty if the phase saw none). */
  phaseHistogram(phase: string, name: HistogramName): LatencyHistogram {
    return this.byPhase.get(phase)?.[name] ?? LatencyHistogram.create();
  }

  add(tick: Tick): TimelinePoint {
    const prev = this.last;
    const dt = Math.max(0.001, (tick.at - (prev?.at ?? this.startedAt)) / 1000);
    const counts = zeroCounts();
    let open = 0;
    let live = 0;
    let generatorCpuMs = 0;
    const latency = LatencyHistogram.create();
    let phase = this.byPhase.get(tick.phase);
    if (!phase) {
      phase = {
        latency: LatencyHistogram.create(),
        connect: LatencyHistogram.create(),
        live: LatencyHistogram.create(),
        http: LatencyHistogram.create(),
      };
      this.byPhase.set(tick.phase, phase);
    }
    for (const s of tick.snapshots) {
      for (const n of COUNT_NAMES) counts[n] += s.counts[n];
      for (const [code, n] of Object.entries(s.errors)) this.errors[code] = (this.errors[code] ?? 0) + n;
      for (const name of HISTOGRAM_NAMES) {
        const h = LatencyHistogram.decode(s.histograms[name]);
        this.histograms[name].add(h);
        phase[name].add(h);
        if (name === 'latency') latency.add(h);
      }
      open += s.open;
      live += s.live;
      generatorCpuMs += s.cpuMs;
      this.lastLiveAt = Math.max(this.lastLiveAt, s.lastLiveAt);
    }
    for (const n of COUNT_NAMES) this.totals[n] += counts[n];
    this.peakOpen = Math.max(this.peakOpen, open);
    const errors = tick.snapshots.reduce((n, s) => n + Object.values(s.errors).reduce((a, b) => a + b, 0), 0);

    let cpu: number | null = null;
    let rss: number | null = null;
    let heap: number | null = null;
    let lag: number | null = null;
    let waiting: number | null = null;
    const rates = {
      socketConnects: null as number | null,
      replays: null as number | null,
      dbQueries: null as number | null,
    };
    tick.servers.forEach((s, i) => {
      const before = prev?.servers[i];
      if (s.handshakesWaiting !== null) waiting = (waiting ?? 0) + s.handshakesWaiting;
      for (const k of ['socketConnects', 'replays', 'dbQueries'] as const) {
        const now = s[k];
        const then = before?.[k];
        if (now !== null && then != null && s.at > before!.at)
          rates[k] = (rates[k] ?? 0) + ((now - then) * 1000) / (s.at - before!.at);
      }
      if (s.cpuSeconds !== null && before?.cpuSeconds != null && s.at > before.at) {
        cpu = (cpu ?? 0) + ((s.cpuSeconds - before.cpuSeconds) * 100_000) / (s.at - before.at);
      }
      if (s.rssBytes !== null) rss = (rss ?? 0) + s.rssBytes / 2 ** 20;
      if (s.heapUsedBytes !== null) heap = (heap ?? 0) + s.heapUsedBytes / 2 ** 20;
      if (s.eventLoopLagP99Ms !== null) lag = Math.max(lag ?? 0, s.eventLoopLagP99Ms);
    });

    const point: TimelinePoint = {
      t: (tick.at - this.startedAt) / 1000,
      phase: tick.phase,
      open,
      live,
      connectsPerSec: counts.connects / dt,
      deliveredPerSec: counts.delivered / dt,
      replayedPerSec: counts.replayed / dt,
      transitionsPerSec: counts.transitions / dt,
      httpPerSec: (counts.httpOk + counts.httpErrors) / dt,
      errorsPerSec: errors / dt,
      latencyP50Ms: nullIfNaN(latency.percentileMs(50)),
      latencyP99Ms: nullIfNaN(latency.percentileMs(99)),
      latencyMaxMs: nullIfNaN(latency.percentileMs(100)),
      serverCpuPct: cpu,
      serverRssMiB: rss,
      serverHeapMiB: heap,
      serverLagMs: lag,
      serverHandshakesWaiting: waiting,
      serverConnectsPerSec: rates.socketConnects,
      serverReplaysPerSec: rates.replays,
      serverQueriesPerSec: rates.dbQueries,
      generatorCpuPct: generatorCpuMs / 10 / dt,
      machineCpuPct: tick.machineBusy === null ? null : tick.machineBusy * 100,
    };
    this.points.push(point);
    this.last = tick;
    return point;
  }
}
