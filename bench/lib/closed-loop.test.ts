import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { runClosedLoop } from './closed-loop.js';

describe('runClosedLoop', () => {
  it('runs every index once and never has more than `concurrency` operations in flight', async () => {
    const seen: number[] = [];
    let inFlight = 0;
    let peak = 0;
    const r = await runClosedLoop(
      async (i) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        seen.push(i);
        await sleep(1);
        inFlight--;
        return 'ok';
      },
      { concurrency: 4, count: 20, maxMs: 10_000 },
    );
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(peak).toBe(4);
    expect(r).toMatchObject({ ok: 20, conflicts: 0, errors: 0, stoppedBy: 'count' });
    expect(r.latenciesMs).toHaveLength(20);
  });

  it('counts conflicts and errors apart from successes, keeping a few distinct error messages', async () => {
    const r = await runClosedLoop(
      async (i) => {
        if (i % 3 === 1) return 'conflict';
        if (i % 3 === 2) throw new Error(i < 6 ? 'first kind' : 'second kind');
        return 'ok';
      },
      { concurrency: 2, count: 9, maxMs: 10_000 },
    );
    expect(r).toMatchObject({ ok: 3, conflicts: 3, errors: 3 });
    expect(r.latenciesMs).toHaveLength(3);
    expect(r.errorSamples).toEqual(['first kind', 'second kind']);
  });

  it('starts nothing after the time limit and says so', async () => {
    const r = await runClosedLoop(
      async () => {
        await sleep(5);
        return 'ok';
      },
      { concurrency: 2, count: 1_000_000, maxMs: 30 },
    );
    expect(r.stoppedBy).toBe('time');
    expect(r.ok).toBeLessThan(100);
  });

  it('stops starting operations once aborted', async () => {
    const abort = new AbortController();
    const r = await runClosedLoop(
      async (i) => {
        if (i === 3) abort.abort();
        return 'ok';
      },
      { concurrency: 1, count: 100, maxMs: 10_000, signal: abort.signal },
    );
    expect(r.ok).toBe(4);
    expect(r.stoppedBy).toBe('abort');
  });

  it('refuses a concurrency that is not a positive integer', async () => {
    await expect(runClosedLoop(async () => 'ok', { concurrency: 0, count: 1, maxMs: 1 })).rejects.toThrow(RangeError);
  });
});
