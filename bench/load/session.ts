import os from 'node:os';
import type { Child } from '../realtime/child-rpc.js';
import type { ServerFigures } from './result.js';
import type { ServerSample, ServerSampler } from './server-sampler.js';
import type { Timeline } from './timeline.js';
import type { Snapshot } from './worker-counters.js';

const TICK_MS = 1000;

function machineTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of os.cpus()) {
    const sum = times.user + times.nice + times.sys + times.irq + times.idle;
    total += sum;
    busy += sum - times.idle;
  }
  return { busy, total };
}

/**
 * The run's clock: once a second it collects every worker's snapshot and samples every server into the timeline, and
 * it names the phase each tick belongs to. Entering a phase takes a tick first, so nothing measured in one phase is
 * booked to the next.
 */
export class Session {
  readonly phases: { name: string; fromS: number; toS: number }[] = [];
  private phase = 'setup';
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private machine = machineTimes();
  private readonly serverStats: {
    first?: ServerSample;
    last?: ServerSample;
    peakRss: number | null;
    peakLag: number | null;
  }[];
  peakGeneratorRss = 0;
  tickErrors = 0;
  lastTickError: string | null = null;

  constructor(
    readonly timeline: Timeline,
    private readonly workers: readonly Child[],
    private readonly samplers: readonly ServerSampler[],
  ) {
    this.serverStats = samplers.map(() => ({ peakRss: null, peakLag: null }));
  }

  start(): void {
    this.timer = setInterval(() => {
      this.tick().catch((err: Error) => {
        this.tickErrors++;
        this.lastTickError = err.message;
      });
    }, TICK_MS);
  }

  async enter(phase: string): Promise<void> {
    await this.tick();
    const t = (Date.now() - this.timeline.startedAt) / 1000;
    const current = this.phases.at(-1);
    if (current) current.toS = t;
    this.phases.push({ name: phase, fromS: t, toS: t });
    this.phase = phase;
  }

  /** One tick; a tick already under way is waited for rather than overlapped. */
  tick(): Promise<void> {
    this.running ??= this.collect().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.tick();
    const current = this.phases.at(-1);
    if (current) current.toS = (Date.now() - this.timeline.startedAt) / 1000;
  }

  serverFigures(): ServerFigures[] {
    return this.samplers.map((s, i) => {
      const st = this.serverStats[i]!;
      const { first, last } = st;
      const cpu =
        first?.cpuSeconds != null && last?.cpuSeconds != null && last.at > first.at
          ? ((last.cpuSeconds - first.cpuSeconds) * 100_000) / (last.at - first.at)
          : null;
      return {
        url: s.url,
        pid: s.pid,
        source: last?.source ?? 'none',
        peakRssMiB: st.peakRss === null ? null : st.peakRss / 2 ** 20,
        cpuSeconds: first?.cpuSeconds != null && last?.cpuSeconds != null ? last.cpuSeconds - first.cpuSeconds : null,
        meanCpuPct: cpu,
        peakLagMs: st.peakLag,
      };
    });
  }

  private async collect(): Promise<void> {
    const [snapshots, servers] = await Promise.all([
      Promise.all(this.workers.map((w) => w.call<Snapshot>('snapshot', null, 60_000))),
      Promise.all(this.samplers.map((s) => s.sample())),
    ]);
    const m = machineTimes();
    const total = m.total - this.machine.total;
    const machineBusy = total > 0 ? (m.busy - this.machine.busy) / total : null;
    this.machine = m;
    servers.forEach((s, i) => {
      const st = this.serverStats[i]!;
      if (s.source !== 'none') {
        st.first ??= s;
        st.last = s;
      }
      if (s.rssBytes !== null) st.peakRss = Math.max(st.peakRss ?? 0, s.rssBytes);
      if (s.eventLoopLagP99Ms !== null) st.peakLag = Math.max(st.peakLag ?? 0, s.eventLoopLagP99Ms);
    });
    this.peakGeneratorRss = Math.max(
      this.peakGeneratorRss,
      snapshots.reduce((sum, s) => sum + s.rssBytes, 0),
    );
    this.timeline.add({ at: Date.now(), phase: this.phase, snapshots, servers, machineBusy });
  }
}
