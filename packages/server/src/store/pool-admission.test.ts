import { SlotcastError } from '@slotcast/protocol';
import { describe, expect, it } from 'vitest';
import { PoolAdmission } from './pool-admission.js';

describe('PoolAdmission', () => {
  const make = (maxWaitMs = 1000, queueLimit = 500, burst = 0) => {
    let clock = 0;
    const admission = new PoolAdmission({ size: 10, queueLimit, maxWaitMs, burst, now: () => clock });
    /** Records one checkout held for `ms`. */
    const hold = (ms: number) => {
      const done = admission.checkedOut();
      clock += ms;
      done();
    };
    return { admission, hold };
  };

  it('admits everyone while a connection is free, whatever the hold time', () => {
    const { admission, hold } = make(100);
    hold(500);
    expect(admission.expectedWaitMs({ waiting: 0, free: true })).toBe(0);
    expect(() => admission.admit({ waiting: 0, free: true })).not.toThrow();
  });

  it('queues a 200-request burst even when its tail will wait longer than the bound, and sheds past the burst', () => {
    const { admission, hold } = make(1000, 500, 250);
    // A slow machine: connections held 100 ms, so the 200th waits ~2 s.
    for (let i = 0; i < 20; i++) hold(100);
    for (let waiting = 0; waiting < 250; waiting++) {
      expect(() => admission.admit({ waiting, free: false })).not.toThrow();
    }
    expect(admission.expectedWaitMs({ waiting: 199, free: false })).toBeCloseTo(2000);
    expect(admission.shed).toBe(0);
    expect(() => admission.admit({ waiting: 250, free: false })).toThrow(SlotcastError);
  });

  it('sheds a caller expected to wait longer than the bound, with a retry time of about the queue drain', () => {
    const { admission, hold } = make(1000);
    hold(100);
    // 99 waiting: the 100th expects 100 × 100 ms ÷ 10 = 1,000 ms — admitted; the next one is not.
    expect(() => admission.admit({ waiting: 99, free: false })).not.toThrow();
    let refused: unknown;
    try {
      admission.admit({ waiting: 250, free: false });
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(SlotcastError);
    // 250 waiting drain in 2.5 s: retry in 3 s (whole seconds, as Retry-After).
    expect(refused).toMatchObject({ code: 'SERVICE_UNAVAILABLE', extensions: { retryAfterMs: 3000 } });
    expect(admission.shed).toBe(1);
  });

  it('follows a change in hold time within a few hundred checkouts, and one long checkout moves it little', () => {
    const { admission, hold } = make(1000);
    for (let i = 0; i < 300; i++) hold(5);
    expect(admission.saturated({ waiting: 400, free: false })).toBe(false);
    // A worker's batch held its connection for 5 s: the estimate barely moves.
    hold(5000);
    expect(admission.meanHoldMs).toBeLessThan(110);
    for (let i = 0; i < 300; i++) hold(50);
    expect(admission.meanHoldMs).toBeGreaterThan(49);
    expect(admission.saturated({ waiting: 400, free: false })).toBe(true);
  });

  it('sheds past the count bound even when the wait looks short', () => {
    const { admission, hold } = make(60_000, 20);
    hold(1);
    expect(admission.saturated({ waiting: 19, free: false })).toBe(false);
    expect(() => admission.admit({ waiting: 20, free: false })).toThrow(SlotcastError);
  });
});
