import { describe, expect, it } from 'vitest';
import { backoffCeiling, backoffDelay, parseRetryAfter } from './backoff.js';

describe('backoff', () => {
  it('doubles the ceiling from 500 ms per attempt and caps it at 30 s', () => {
    const ceilings = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((a) => backoffCeiling(a));
    expect(ceilings).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('stays finite and capped for absurd attempt counts', () => {
    expect(backoffCeiling(10_000)).toBe(30_000);
    expect(backoffCeiling(0)).toBe(500);
    expect(backoffDelay(10_000, { random: () => 0.999_999 })).toBeLessThan(30_000);
  });

  it('draws full jitter: 0 at random 0, just under the ceiling at random→1', () => {
    expect(backoffDelay(3, { random: () => 0 })).toBe(0);
    expect(backoffDelay(3, { random: () => 0.999_999 })).toBe(1999);
    expect(backoffDelay(3, { random: () => 0.5 })).toBe(1000);
  });

  it('keeps every draw within [0, ceiling) and spreads them over the range', () => {
    for (let attempt = 1; attempt <= 10; attempt++) {
      const ceiling = backoffCeiling(attempt);
      const draws = Array.from({ length: 2000 }, () => backoffDelay(attempt));
      expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...draws)).toBeLessThan(ceiling);
      // Full jitter, not "ceiling ± a little": both halves of the range are used.
      expect(draws.filter((d) => d < ceiling / 2).length).toBeGreaterThan(700);
      expect(draws.filter((d) => d >= ceiling / 2).length).toBeGreaterThan(700);
    }
  });

  it('honours custom base and cap', () => {
    expect(backoffCeiling(1, { baseMs: 100, capMs: 250 })).toBe(100);
    expect(backoffCeiling(3, { baseMs: 100, capMs: 250 })).toBe(250);
  });

  it('reads Retry-After as seconds or an HTTP date, and nothing else', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(parseRetryAfter('5', now)).toBe(5000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Mon, 31 Dec 2029 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});
