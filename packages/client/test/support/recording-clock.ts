import type { Clock } from '../../src/clock.js';

/**
 * The system clock, recording every delay the client schedules and which timers are still pending. Every retry goes
 * through it, so "nothing pending" proves the client will not reconnect on its own, without waiting to see.
 */
export function recordingClock(): Clock & { delays: number[]; pending: () => number } {
  const delays: number[] = [];
  const live = new Set<ReturnType<typeof setTimeout>>();
  return {
    delays,
    pending: () => live.size,
    now: () => Date.now(),
    setTimeout: (fn, ms) => {
      delays.push(ms);
      const h = setTimeout(() => {
        live.delete(h);
        fn();
      }, ms);
      live.add(h);
      return h;
    },
    clearTimeout: (h) => {
      live.delete(h as ReturnType<typeof setTimeout>);
      clearTimeout(h as ReturnType<typeof setTimeout>);
    },
  };
}
