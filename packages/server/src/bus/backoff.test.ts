import { describe, expect, it } from 'vitest';
import { backoffCeiling, backoffDelay, backoffSchedule } from './backoff.js';

describe('back-off', () => {
  it('doubles from the base up to the cap, with full jitter below the ceiling', () => {
    const opts = { baseMs: 1000, capMs: 10_000 };
    expect(backoffSchedule(6, opts)).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(backoffCeiling(5000, opts)).toBe(10_000);
    expect(backoffDelay(3, { ...opts, random: () => 0.5 })).toBe(2000);
    expect(backoffDelay(3, { ...opts, random: () => 0 })).toBe(0);
  });
});
