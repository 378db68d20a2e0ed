import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TimelinePoint } from '../load/timeline.js';
import { FALLBACK, fanOutCpuMsPer1k, measuredCosts, phaseCpuSeconds } from './inputs.js';

const point = (t: number, phase: string, serverCpuPct: number | null): TimelinePoint =>
  ({ t, phase, serverCpuPct }) as TimelinePoint;

describe('phaseCpuSeconds', () => {
  it('integrates the server CPU share over the ticks of one phase', () => {
    const tl = [
      point(0, 'ramp', null),
      point(1, 'ramp', 50),
      point(3, 'load', 100),
      point(4, 'load', 50),
      point(5, 'drain', 100),
    ];
    expect(phaseCpuSeconds(tl, 'load')).toBeCloseTo(2 * 1 + 1 * 0.5, 6);
    expect(phaseCpuSeconds(tl, 'nope')).toBe(0);
  });
});

describe('fanOutCpuMsPer1k', () => {
  it('reads both shapes of bench:realtime results and ignores runs that delivered nothing', () => {
    expect(fanOutCpuMsPer1k({ slotcast: { fanOut: { serverCpuMsPer1k: 19.7, delivered: 10 } } })).toBe(19.7);
    expect(fanOutCpuMsPer1k({ slotcast: { fanOut: [], fanOutMedian: { serverCpuMsPer1k: 12, delivered: 5 } } })).toBe(
      12,
    );
    expect(fanOutCpuMsPer1k({ slotcast: { fanOut: { serverCpuMsPer1k: 19.7, delivered: 0 } } })).toBeNull();
    expect(fanOutCpuMsPer1k(null)).toBeNull();
  });
});

describe('measuredCosts', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('falls back to defaults, marked as not measured, when there are no results', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'capacity-'));
    const c = await measuredCosts(dir);
    expect(c.rssPerSocket).toEqual({ value: FALLBACK.rssPerSocket, source: 'default (not measured)' });
  });

  it('takes memory per socket from the newest idle run with a memory measurement', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'capacity-'));
    const idle = (rss: number) => ({
      target: { serverKind: 'slotcast' },
      memory: { slotcast: { rssPerSocket: rss, rssBytes: 300 * 2 ** 20, totalSockets: 1000, sockets: 900 } },
      phases: [],
      timeline: [],
      connect: { live: 1000 },
    });
    await writeFile(path.join(dir, 'load-idle-2026-01-01.json'), JSON.stringify(idle(10_000)));
    await writeFile(path.join(dir, 'load-idle-2026-02-01.json'), JSON.stringify(idle(20_000)));
    await writeFile(path.join(dir, 'load-idle-2026-03-01.json'), '{ not json');
    const c = await measuredCosts(dir);
    expect(c.rssPerSocket.value).toBe(20_000);
    expect(c.rssPerSocket.source).toContain('load-idle-2026-02-01.json');
    expect(c.baseRssMiB.value).toBeCloseTo(300 - (1000 * 20_000) / 2 ** 20, 6);
  });
});
