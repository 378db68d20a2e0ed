/** What one measured phase reports: throughput over the phase's wall time and its latency distribution. */
export interface LatencySummary {
  count: number;
  elapsedMs: number;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  minMs: number;
  maxMs: number;
}

/**
 * Nearest-rank percentile of samples sorted ascending: the smallest sample with at least `p` percent of all
 * samples at or below it. No interpolation, so the answer is always a latency that was actually observed.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile: p must be within 0..100, got ${p}`);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** Summarises latencies (ms, any order) of operations completed within `elapsedMs` of wall time. */
export function summarize(latenciesMs: readonly number[], elapsedMs: number): LatencySummary {
  const sorted = Float64Array.from(latenciesMs).sort();
  const count = sorted.length;
  let total = 0;
  for (const v of sorted) total += v;
  return {
    count,
    elapsedMs,
    opsPerSec: elapsedMs > 0 ? (count * 1000) / elapsedMs : 0,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    meanMs: count ? total / count : Number.NaN,
    minMs: count ? sorted[0]! : Number.NaN,
    maxMs: count ? sorted[count - 1]! : Number.NaN,
  };
}
