import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { LoadResult } from '../load/result.js';
import type { TimelinePoint } from '../load/timeline.js';
import type { MeasuredCosts } from './model.js';

/** Each cost with where it came from: a result file, a flag, or a default (not measured). */
export type Sourced<T> = { [K in keyof T]: { value: T[K]; source: string } };

/** Server CPU seconds spent during `phase`: the per-tick CPU share integrated over the phase's ticks. */
export function phaseCpuSeconds(timeline: readonly TimelinePoint[], phase: string): number {
  let cpu = 0;
  for (let i = 1; i < timeline.length; i++) {
    const p = timeline[i]!;
    if (p.phase !== phase || p.serverCpuPct === null) continue;
    cpu += (p.serverCpuPct / 100) * (p.t - timeline[i - 1]!.t);
  }
  return cpu;
}

/** Defaults when nothing was measured: this repository's own first measurements, rounded; the report says so. */
export const FALLBACK: MeasuredCosts = {
  rssPerSocket: 16_000,
  baseRssMiB: 200,
  idleCpuMsPerSocketSecond: 0.002,
  cpuMsPerDelivery: 0.02,
  cpuMsPerTransition: 3,
  cpuMsPerBusEvent: 0.02,
  cpuMsPerReconnect: 2,
  httpPerTransition: 1.5,
  commitsPerSecondMeasured: 0,
};

/** The newest result file in `dir` whose name starts with `prefix`, parsed; null if none. */
export async function latest<T>(
  dir: string,
  prefix: string,
  accept: (r: T) => boolean = () => true,
): Promise<{ file: string; result: T } | null> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return null;
  }
  const files = names
    .filter((n) => n.startsWith(prefix) && n.endsWith('.json'))
    .sort()
    .reverse();
  for (const name of files.slice(0, 50)) {
    try {
      const result = JSON.parse(await readFile(path.join(dir, name), 'utf8')) as T;
      if (accept(result)) return { file: name, result };
    } catch {
      // A half-written or foreign file: try the next.
    }
  }
  return null;
}

/**
 * Derives the costs from the newest results: memory and idle CPU from an idle run (after GC, over the sockets
 * connected between the two samples), fan-out CPU per delivery from bench:realtime (the gateway alone, no HTTP),
 * per-transition CPU from a browse-book-cancel or staff run (its server CPU less its deliveries' share), bus and
 * reconnect costs from a reconnect-storm run. Anything missing falls back to FALLBACK, marked as such.
 */
export async function measuredCosts(dir: string): Promise<Sourced<MeasuredCosts>> {
  const out = Object.fromEntries(
    Object.entries(FALLBACK).map(([k, v]) => [k, { value: v, source: 'default (not measured)' }]),
  ) as Sourced<MeasuredCosts>;
  const set = <K extends keyof MeasuredCosts>(k: K, value: number, source: string) => {
    if (Number.isFinite(value) && value >= 0) out[k] = { value, source };
  };

  const idle = await latest<LoadResult>(
    dir,
    'load-idle-',
    (r) => r.memory?.slotcast !== null && r.target.serverKind === 'slotcast',
  );
  if (idle) {
    const m = idle.result.memory.slotcast!;
    set('rssPerSocket', m.rssPerSocket, `${idle.file} (${m.sockets} sockets)`);
    set('baseRssMiB', (m.rssBytes - m.totalSockets * m.rssPerSocket) / 2 ** 20, idle.file);
    const hold = idle.result.phases.find((p) => p.name === 'hold');
    const cpu = phaseCpuSeconds(idle.result.timeline, 'hold');
    if (hold && hold.toS > hold.fromS && idle.result.connect.live > 0) {
      set('idleCpuMsPerSocketSecond', (cpu * 1000) / (hold.toS - hold.fromS) / idle.result.connect.live, idle.file);
    }
  }

  const realtime = await latest<unknown>(dir, 'realtime-', (r) => fanOutCpuMsPer1k(r) !== null);
  if (realtime) set('cpuMsPerDelivery', fanOutCpuMsPer1k(realtime.result)! / 1000, `${realtime.file} (fan-out)`);

  for (const prefix of ['load-browse-book-cancel-', 'load-staff-']) {
    const run = await latest<LoadResult>(dir, prefix, (r) => r.totals?.transitions > 0);
    if (!run) continue;
    const r = run.result;
    const cpuMs = phaseCpuSeconds(r.timeline, 'load') * 1000;
    const deliveries = r.deliveries.latencyMeasured.count;
    const transitions = r.totals.transitions;
    set(
      'cpuMsPerTransition',
      (cpuMs - deliveries * out.cpuMsPerDelivery.value) / transitions,
      `${run.file} (less fan-out)`,
    );
    set('httpPerTransition', (r.http.ok + r.http.errors) / transitions, run.file);
    break;
  }

  const bookings = await latest<unknown>(dir, 'bookings-', (r) => bookingCommitsPerSecond(r) !== null);
  if (bookings) {
    set(
      'commitsPerSecondMeasured',
      bookingCommitsPerSecond(bookings.result)!,
      `${bookings.file} (create and confirm, mean)`,
    );
  }

  const storm = await latest<LoadResult>(dir, 'load-reconnect-storm-', (r) => (r.storm?.live ?? 0) > 0);
  if (storm) {
    const r = storm.result;
    const s = r.storm!;
    set(
      'cpuMsPerReconnect',
      (phaseCpuSeconds(r.timeline, 'storm') * 1000) / s.live,
      `${storm.file} (${s.live} clients, ${s.missedEach} missed each)`,
    );
    // The drop phase: the events arrive from the bus while no socket wants them (an upper bound: it also holds the
    // disconnects).
    const servers = Math.max(1, r.servers.length);
    set(
      'cpuMsPerBusEvent',
      (phaseCpuSeconds(r.timeline, 'drop') * 1000) / servers / s.appended,
      `${storm.file} (drop phase, per node; an upper bound)`,
    );
  }
  return out;
}

/**
 * Slotcast's server CPU per 1,000 fan-out deliveries from a bench:realtime result, whose shape has grown over time
 * (one fan-out, then several with their median): read defensively.
 */
export function fanOutCpuMsPer1k(report: unknown): number | null {
  type FanOut = { serverCpuMsPer1k?: unknown; delivered?: unknown };
  const s = (report as { slotcast?: { fanOutMedian?: FanOut; fanOut?: FanOut | FanOut[] } } | null)?.slotcast;
  const f = s?.fanOutMedian ?? (Array.isArray(s?.fanOut) ? undefined : s?.fanOut);
  const v = f?.serverCpuMsPer1k;
  return typeof v === 'number' && Number.isFinite(v) && typeof f?.delivered === 'number' && f.delivered > 0 ? v : null;
}

/** Booking transactions per second Slotcast's own path sustained in bench:bookings (mean of create and confirm). */
export function bookingCommitsPerSecond(report: unknown): number | null {
  const s = (report as { slotcast?: { create?: { opsPerSec?: unknown }; confirm?: { opsPerSec?: unknown } } } | null)
    ?.slotcast;
  const rates = [s?.create?.opsPerSec, s?.confirm?.opsPerSec].filter(
    (v): v is number => typeof v === 'number' && v > 0,
  );
  return rates.length ? rates.reduce((a, b) => a + b, 0) / rates.length : null;
}
