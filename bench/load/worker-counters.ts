import { LatencyHistogram } from './histogram.js';

export const COUNT_NAMES = [
  'connects',
  'connectFailures',
  'drops',
  'delivered',
  'replayed',
  'frames',
  'duplicates',
  'resyncs',
  'httpOk',
  'httpErrors',
  'transitions',
  'floodAccepted',
  'floodRejected',
] as const;
export type CountName = (typeof COUNT_NAMES)[number];
export type Counts = Record<CountName, number>;

export const HISTOGRAM_NAMES = ['latency', 'connect', 'live', 'http'] as const;
export type HistogramName = (typeof HISTOGRAM_NAMES)[number];

/** What a worker measured since its previous snapshot (counts and histograms), and its state now (gauges). */
export interface Snapshot {
  at: number;
  /** Sockets open now. */
  open: number;
  /** Sockets live now (replay done). */
  live: number;
  counts: Counts;
  errors: Record<string, number>;
  /** Encoded LatencyHistogram of each kind: latency = commit→receive of live events; connect = to `connect`;
   * live = to `replay:done` (handshake + replay); http = request→response. */
  histograms: Record<HistogramName, string>;
  /** Wall-clock ms at which the last socket went live. */
  lastLiveAt: number;
  /** CPU ms this worker process spent since the previous snapshot, and its resident memory. */
  cpuMs: number;
  rssBytes: number;
}

export const zeroCounts = (): Counts => Object.fromEntries(COUNT_NAMES.map((n) => [n, 0])) as Counts;

/** One worker's measurements. Hot paths bump plain numbers and histograms; snapshots hand over and reset them. */
export class WorkerCounters {
  counts = zeroCounts();
  errors = new Map<string, number>();
  readonly hist: Record<HistogramName, LatencyHistogram> = {
    latency: LatencyHistogram.create(),
    connect: LatencyHistogram.create(),
    live: LatencyHistogram.create(),
    http: LatencyHistogram.create(),
  };
  open = 0;
  live = 0;
  lastLiveAt = 0;
  private cpu = process.cpuUsage();

  error(code: string, n = 1): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + n);
  }

  snapshot(): Snapshot {
    const cpu = process.cpuUsage(this.cpu);
    this.cpu = process.cpuUsage();
    const histograms = {} as Record<HistogramName, string>;
    for (const name of HISTOGRAM_NAMES) {
      histograms[name] = this.hist[name].encode();
      this.hist[name].reset();
    }
    const s: Snapshot = {
      at: Date.now(),
      open: this.open,
      live: this.live,
      counts: this.counts,
      errors: Object.fromEntries(this.errors),
      histograms,
      lastLiveAt: this.lastLiveAt,
      cpuMs: (cpu.user + cpu.system) / 1000,
      rssBytes: process.memoryUsage.rss(),
    };
    this.counts = zeroCounts();
    this.errors = new Map();
    return s;
  }
}
