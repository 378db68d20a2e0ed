import type { MemorySample } from './server-process.js';

/**
 * Bytes per socket as the least-squares slope of memory against open sockets over several samples: one sample pair
 * is at the mercy of when V8 grew its heap or the allocator kept pages, a line through four is much less so.
 */
export function bytesPerSocket(samples: readonly MemorySample[], bytes: (s: MemorySample) => number): number {
  const n = samples.length;
  if (n < 2) return Number.NaN;
  let sx = 0;
  let sy = 0;
  for (const s of samples) {
    sx += s.sockets;
    sy += bytes(s);
  }
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  for (const s of samples) {
    sxy += (s.sockets - mx) * (bytes(s) - my);
    sxx += (s.sockets - mx) ** 2;
  }
  return sxx > 0 ? sxy / sxx : Number.NaN;
}

export const heapBytes = (s: MemorySample) => s.heapUsed + s.external;
export const rssBytes = (s: MemorySample) => s.rss;
