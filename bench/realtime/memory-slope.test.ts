import { describe, expect, it } from 'vitest';
import { bytesPerSocket, heapBytes, rssBytes } from './memory-slope.js';
import type { MemorySample } from './server-process.js';

const sample = (sockets: number, heap: number, rss = heap): MemorySample => ({
  sockets,
  heapUsed: heap,
  external: 0,
  arrayBuffers: 0,
  rss,
});

describe('bytesPerSocket', () => {
  it('is the growth per socket when memory grows in a straight line', () => {
    const samples = [sample(1000, 50e6), sample(4000, 80e6), sample(7000, 110e6), sample(10_000, 140e6)];
    expect(bytesPerSocket(samples, heapBytes)).toBeCloseTo(10_000, 6);
  });

  it('smooths one sample off the line instead of taking it at its word', () => {
    const samples = [sample(1000, 0, 0), sample(4000, 0, 30e6), sample(7000, 0, 60e6), sample(10_000, 0, 120e6)];
    expect(bytesPerSocket(samples, rssBytes)).toBeGreaterThan(10_000);
    expect(bytesPerSocket(samples, rssBytes)).toBeLessThan((120e6 - 60e6) / 3000);
  });

  it('has no answer without two distinct socket counts', () => {
    expect(bytesPerSocket([sample(5, 1)], heapBytes)).toBeNaN();
    expect(bytesPerSocket([sample(5, 1), sample(5, 2)], heapBytes)).toBeNaN();
  });
});
