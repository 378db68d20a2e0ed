import * as hdr from 'hdr-histogram-js';

/** One hour in microseconds: nothing the load test times is longer. */
const HIGHEST_US = 3_600_000_000;

export interface HistogramSummary {
  count: number;
  minMs: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

const make = () =>
  hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_US, numberOfSignificantValueDigits: 3 });

/**
 * Durations in milliseconds, kept as microseconds in an HdrHistogram (3 significant digits): constant memory however
 * many samples, mergeable across processes (encoded as HdrHistogram's compressed base64), percentiles exact to 0.1%.
 */
export class LatencyHistogram {
  private constructor(private readonly h: hdr.Histogram) {}

  static create(): LatencyHistogram {
    return new LatencyHistogram(make());
  }

  /** Decodes what `encode` produced, in this or another process. An empty string is an empty histogram. */
  static decode(encoded: string): LatencyHistogram {
    const out = LatencyHistogram.create();
    if (encoded) out.h.add(hdr.decodeFromCompressedBase64(encoded));
    return out;
  }

  /** Records one duration. Negative values (clock granularity: occurredAt has whole milliseconds) count as 0. */
  recordMs(ms: number): void {
    if (!Number.isFinite(ms)) return;
    this.h.recordValue(Math.min(HIGHEST_US, Math.max(0, Math.round(ms * 1000))));
  }

  add(other: LatencyHistogram): this {
    if (other.count > 0) this.h.add(other.h);
    return this;
  }

  get count(): number {
    return this.h.totalCount;
  }

  /** The value at percentile `p` (0..100) in ms; NaN when empty. */
  percentileMs(p: number): number {
    if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
    return this.count ? this.h.getValueAtPercentile(p) / 1000 : Number.NaN;
  }

  summary(): HistogramSummary {
    const n = this.count;
    const at = (p: number) => this.percentileMs(p);
    return {
      count: n,
      minMs: n ? this.h.minNonZeroValue / 1000 : Number.NaN,
      meanMs: n ? this.h.mean / 1000 : Number.NaN,
      p50Ms: at(50),
      p90Ms: at(90),
      p99Ms: at(99),
      p999Ms: at(99.9),
      maxMs: n ? this.h.maxValue / 1000 : Number.NaN,
    };
  }

  /**
   * The percentile spectrum HdrHistogram plots: the value at 0, 50, 75, 87.5 … percent, halving the distance to 100
   * each step, up to the highest recorded value. Log-scaled on the x axis it shows the tail.
   */
  distribution(steps = 8): { percentile: number; ms: number }[] {
    if (!this.count) return [];
    const out: { percentile: number; ms: number }[] = [];
    for (let i = 0; i <= steps; i++) {
      const p = 100 * (1 - 0.5 ** i);
      out.push({ percentile: p, ms: this.percentileMs(p) });
    }
    out.push({ percentile: 100, ms: this.h.maxValue / 1000 });
    return out;
  }

  encode(): string {
    return this.count ? hdr.encodeIntoCompressedBase64(this.h) : '';
  }

  reset(): void {
    this.h.reset();
  }
}
