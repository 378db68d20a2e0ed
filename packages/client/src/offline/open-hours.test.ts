import { describe, expect, it } from 'vitest';
import {
  emptyOpenHours,
  isOpenHours,
  nextLikelyOpen,
  OPEN_HOURS_MAX_TOTAL,
  type OpenHours,
  prefetchDue,
  recordOpen,
} from './open-hours.js';

/** Local wall-clock time on a given day of January 2030 (the histogram is in the device's hours). */
const at = (day: number, hour: number, minute = 0) => new Date(2030, 0, day, hour, minute).getTime();

/** Opens at 07:40 and 19:10 on `days` days. */
function routine(days: number): OpenHours {
  let h = emptyOpenHours();
  for (let d = 1; d <= days; d++) {
    h = recordOpen(h, at(d, 7, 40));
    h = recordOpen(h, at(d, 19, 10));
  }
  return h;
}

describe('open-hours histogram', () => {
  it('counts an open once per hour, in the local hour it happened', () => {
    let h = emptyOpenHours();
    h = recordOpen(h, at(1, 7, 5));
    h = recordOpen(h, at(1, 7, 55));
    h = recordOpen(h, at(1, 8, 0));
    expect(h.counts[7]).toBe(1);
    expect(h.counts[8]).toBe(1);
    expect(h.counts.reduce((a, b) => a + b)).toBe(2);
  });

  it('stays bounded: past the maximum weight every hour is halved, so a new routine takes over', () => {
    let h = routine(200);
    expect(h.counts.reduce((a, b) => a + b)).toBeLessThanOrEqual(OPEN_HOURS_MAX_TOTAL);
    for (let d = 201; d <= 240; d++) h = recordOpen(h, at(d, 12, 0));
    expect(h.counts[12]).toBeGreaterThan(h.counts[7]!);
  });

  it('names the next usual hour, not a one-off', () => {
    let h = routine(3);
    h = recordOpen(h, at(4, 3, 0));
    expect(nextLikelyOpen(h, at(5, 6, 10))).toBe(at(5, 7));
    expect(nextLikelyOpen(h, at(5, 7, 10))).toBe(at(5, 19));
    expect(nextLikelyOpen(h, at(5, 20, 0))).toBe(at(6, 7));
    expect(nextLikelyOpen(emptyOpenHours(), at(5, 6))).toBeNull();
    expect(nextLikelyOpen(recordOpen(emptyOpenHours(), at(1, 7)), at(5, 6))).toBeNull();
  });

  it('is due within the hour before a usual open, once', () => {
    const h = routine(5);
    expect(prefetchDue(h, at(9, 5, 50), null)).toBe(false);
    expect(prefetchDue(h, at(9, 6, 10), null)).toBe(true);
    expect(prefetchDue(h, at(9, 6, 40), at(9, 6, 10))).toBe(false);
    expect(prefetchDue(h, at(9, 18, 30), at(9, 6, 10))).toBe(true);
    expect(prefetchDue(emptyOpenHours(), at(9, 6, 10), null)).toBe(false);
  });

  it('recognises only a well-formed stored histogram', () => {
    expect(isOpenHours(routine(1))).toBe(true);
    expect(isOpenHours({ counts: [1, 2], lastCountedHour: null })).toBe(false);
    expect(isOpenHours({ counts: new Array(24).fill(-1), lastCountedHour: null })).toBe(false);
    expect(isOpenHours(null)).toBe(false);
  });
});
