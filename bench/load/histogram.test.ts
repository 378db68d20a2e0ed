import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from './histogram.js';

describe('LatencyHistogram', () => {
  it('answers percentiles in milliseconds within 0.1% of the recorded values', () => {
    const h = LatencyHistogram.create();
    for (let i = 1; i <= 1000; i++) h.recordMs(i);
    const s = h.summary();
    expect(s.count).toBe(1000);
    expect(s.p50Ms).toBeCloseTo(500, -0.3);
    expect(Math.abs(s.p99Ms - 990) / 990).toBeLessThan(0.001);
    expect(Math.abs(s.maxMs - 1000) / 1000).toBeLessThan(0.001);
    expect(s.minMs).toBeCloseTo(1, 2);
  });

  it('keeps sub-millisecond resolution and counts negative clock noise as 0', () => {
    const h = LatencyHistogram.create();
    h.recordMs(0.25);
    h.recordMs(-1);
    h.recordMs(Number.NaN);
    expect(h.count).toBe(2);
    expect(h.percentileMs(100)).toBeCloseTo(0.25, 2);
    expect(h.percentileMs(0)).toBe(0);
  });

  it('survives encoding for another process and merges with others', () => {
    const a = LatencyHistogram.create();
    const b = LatencyHistogram.create();
    for (let i = 0; i < 100; i++) a.recordMs(10);
    for (let i = 0; i < 100; i++) b.recordMs(1000);
    const merged = LatencyHistogram.decode(a.encode()).add(LatencyHistogram.decode(b.encode()));
    expect(merged.count).toBe(200);
    expect(merged.percentileMs(50)).toBeCloseTo(10, 1);
    expect(merged.percentileMs(99)).toBeGreaterThan(990);
  });

  it('treats an empty histogram as empty everywhere: NaN figures, an empty encoding, no distribution', () => {
    const h = LatencyHistogram.create();
    expect(h.encode()).toBe('');
    expect(LatencyHistogram.decode('').count).toBe(0);
    expect(h.summary().p99Ms).toBeNaN();
    expect(h.distribution()).toEqual([]);
    expect(() => h.percentileMs(101)).toThrow(RangeError);
  });

  it('lists the percentile spectrum from the median to the maximum, rising', () => {
    const h = LatencyHistogram.create();
    for (let i = 1; i <= 10_000; i++) h.recordMs(i / 10);
    const d = h.distribution(6);
    expect(d[0]!.percentile).toBe(0);
    expect(d[1]!.percentile).toBe(50);
    expect(d.at(-1)).toEqual({ percentile: 100, ms: expect.closeTo(1000, 0) });
    for (let i = 1; i < d.length; i++) expect(d[i]!.ms).toBeGreaterThanOrEqual(d[i - 1]!.ms);
  });

  it('starts over after reset', () => {
    const h = LatencyHistogram.create();
    h.recordMs(5);
    h.reset();
    expect(h.count).toBe(0);
  });
});
