import { describe, expect, it } from 'vitest';
import { percentile, summarize } from './latency.js';

describe('percentile', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('takes the nearest rank, never interpolating between samples', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([10, 20, 30, 40], 50)).toBe(20);
    expect(percentile([10, 20, 30, 40], 51)).toBe(30);
  });

  it('answers the smallest sample for p = 0 and the only sample of a single-sample set', () => {
    expect(percentile(hundred, 0)).toBe(1);
    expect(percentile([7], 99)).toBe(7);
  });

  it('answers NaN for no samples and refuses a p outside 0..100', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile(hundred, 101)).toThrow(RangeError);
    expect(() => percentile(hundred, Number.NaN)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('sorts the samples itself and derives throughput from the wall time, not the sum of latencies', () => {
    const s = summarize([5, 1, 4, 2, 3], 500);
    expect(s).toEqual({ count: 5, elapsedMs: 500, opsPerSec: 10, p50Ms: 3, p99Ms: 5, meanMs: 3, minMs: 1, maxMs: 5 });
  });

  it('sorts numerically, not as strings', () => {
    expect(summarize([100, 9, 20], 1000).p50Ms).toBe(20);
  });

  it('reports zero throughput and NaN latencies for an empty phase', () => {
    const s = summarize([], 0);
    expect(s.count).toBe(0);
    expect(s.opsPerSec).toBe(0);
    expect(s.p50Ms).toBeNaN();
    expect(s.meanMs).toBeNaN();
  });
});
