import type { LatencySummary } from '../lib/latency.js';
import type { RunMetadata } from '../lib/run-metadata.js';
import { type Column, fixed, formatTable } from '../lib/table.js';
import type { ConnectResult } from './client-process.js';
import type { Notifier, RealtimeOptions } from './options.js';
import type { CpuSpent, MemorySample } from './server-process.js';
import type { DriveResult } from './transition-driver.js';

/** Issue 10's goals (commit→screen p99 is the one for 200/s). Reported, not asserted. */
export const GOALS = { fanOutRatio: 3, latencyP99Ms: 25, memoryRatio: 1.1 } as const;

const NOTIFIER_WORDS: Record<Notifier, string> = {
  local: 'by this node (WORKERS_THREAD=auto)',
  'local-thread': 'by this node (its workers thread)',
  'local-main': 'by this node (its main thread)',
  elsewhere: 'elsewhere',
};

export interface MemoryResult {
  /** After GC, at each step of connecting: the first tenth, then three more equal steps to all. */
  samples: MemorySample[];
  /** Growth of heapUsed + external per socket (least-squares slope over the samples). */
  heapPerSocket: number;
  rssPerSocket: number;
}

export interface FanOutResult {
  events: number;
  expected: number;
  delivered: number;
  /** Socket.IO messages the clients received (one per event for the bare server; fewer when batched). */
  frames: number;
  /** From just before the events' COMMIT to the last frame any client received. */
  elapsedMs: number;
  deliveriesPerSec: number;
  server: CpuSpent;
  /** Server CPU per 1,000 deliveries. */
  serverCpuMsPer1k: number;
  /**
   * The client processes' CPU per 1,000 deliveries (all of them together, decoding what they receive). They share the
   * machine with the server, so a round's wall time is bounded by server + client CPU over the cores.
   */
  clientCpuMsPer1k: number;
  /** Log consumers (notifications) held off meanwhile, as if another node ran them. */
  heldConsumers?: string[];
}

export interface LatencyResult {
  /** Whether this node wrote the notifications for the transitions, or another node did. */
  notifier: Notifier;
  drive: DriveResult;
  expected: number;
  delivered: number;
  /** Private notification events received meanwhile (the node makes them from booking events). */
  notificationEvents: number;
  /** occurredAt (the event's insert, just before commit) → the client's `events` handler, per delivery. */
  deliveries: LatencySummary;
}

export interface ServerResult {
  connect: ConnectResult;
  memory: MemoryResult;
  /** One per round, in the order they ran. */
  fanOut: FanOutResult[];
  /** The median round by deliveries/s. */
  fanOutMedian: FanOutResult;
  latency: LatencyResult | null;
}

/** The round with the median throughput (the lower middle one for an even count). */
export function medianRound(rounds: readonly FanOutResult[]): FanOutResult {
  const sorted = [...rounds].sort((a, b) => a.deliveriesPerSec - b.deliveriesPerSec);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

export interface RealtimeReport {
  benchmark: 'realtime';
  metadata: RunMetadata & { postgres: string; backgroundCpuBusy: number };
  options: Omit<RealtimeOptions, 'databaseUrl'>;
  bare: ServerResult;
  slotcast: ServerResult;
  ratio: { fanOut: number; fanOutCpu: number; heapPerSocket: number; rssPerSocket: number };
  goals: typeof GOALS;
}

/** Server + client CPU per 1,000 deliveries of the median round: what a delivery costs the whole machine. */
export const cpuPer1k = (f: FanOutResult) => f.serverCpuMsPer1k + f.clientCpuMsPer1k;

export function ratios(slotcast: ServerResult, bare: ServerResult): RealtimeReport['ratio'] {
  const r = (a: number, b: number) => (b > 0 ? a / b : Number.NaN);
  return {
    fanOut: r(slotcast.fanOutMedian.deliveriesPerSec, bare.fanOutMedian.deliveriesPerSec),
    // Inverted (bare over Slotcast), so it reads like the throughput ratio: how many times cheaper a delivery is.
    fanOutCpu: r(cpuPer1k(bare.fanOutMedian), cpuPer1k(slotcast.fanOutMedian)),
    heapPerSocket: r(slotcast.memory.heapPerSocket, bare.memory.heapPerSocket),
    rssPerSocket: r(slotcast.memory.rssPerSocket, bare.memory.rssPerSocket),
  };
}

const COLUMNS: Column[] = [
  { header: 'Server' },
  { header: 'sockets', align: 'right' },
  { header: 'heap B/socket', align: 'right' },
  { header: 'RSS B/socket', align: 'right' },
  { header: 'deliveries/s (median)', align: 'right' },
  { header: 'rounds', align: 'right' },
  { header: 'frames/round', align: 'right' },
  { header: 'server CPU ms/1k', align: 'right' },
  { header: 'client CPU ms/1k', align: 'right' },
  { header: 'event loop', align: 'right' },
];

function row(name: string, s: ServerResult): string[] {
  const m = s.fanOutMedian;
  return [
    name,
    String(s.memory.samples.at(-1)?.sockets ?? 0),
    fixed(s.memory.heapPerSocket, 0),
    fixed(s.memory.rssPerSocket, 0),
    fixed(m.deliveriesPerSec, 0),
    `${s.fanOut.map((f) => fixed(f.deliveriesPerSec / 1000, 1)).join(' / ')}k`,
    String(m.frames),
    fixed(m.serverCpuMsPer1k, 1),
    fixed(m.clientCpuMsPer1k, 1),
    `${fixed(m.server.eventLoopUtilization * 100, 0)}%`,
  ];
}

const verdict = (ok: boolean, v: number) => (Number.isNaN(v) ? 'no figure' : ok ? 'meets' : 'misses');

/** The results table, the latency line and the ratios against the goals, as Markdown that reads well in a terminal. */
export function formatReport(r: RealtimeReport): string {
  const lines = [formatTable(COLUMNS, [row('bare Socket.IO', r.bare), row('Slotcast', r.slotcast)]), ''];
  const l = r.slotcast.latency;
  if (l) {
    const d = l.drive;
    lines.push(
      `Commit→screen at ${r.options.rate} transitions/s (achieved ${fixed(d.achievedRate, 0)}/s, ${d.committed} committed, ` +
        `${d.shed} shed, ${d.failed} failed, ${d.lateStarts} started >10 ms late): p50 ${fixed(l.deliveries.p50Ms, 1)} ms, ` +
        `p99 ${fixed(l.deliveries.p99Ms, 1)} ms, max ${fixed(l.deliveries.maxMs, 1)} ms over ${l.deliveries.count} ` +
        `deliveries (${l.delivered}/${l.expected} arrived); commit itself p50 ${fixed(d.commit.p50Ms, 1)} ms, ` +
        `p99 ${fixed(d.commit.p99Ms, 1)} ms; notifications written ${NOTIFIER_WORDS[l.notifier]}` +
        ` (${l.notificationEvents} notification events received)`,
    );
    if (d.emitted && d.gc) {
      lines.push(
        `  of which commit→emitted in the server: p50 ${fixed(d.emitted.p50Ms, 1)} ms, p99 ${fixed(d.emitted.p99Ms, 1)} ms; ` +
          `server GC: ${d.gc.count} pauses, ${fixed(d.gc.totalMs, 0)} ms in all, longest ${fixed(d.gc.maxMs, 1)} ms` +
          (d.gc.minor
            ? ` (scavenges ${d.gc.minor.count}, ${fixed(d.gc.minor.totalMs, 0)} ms, longest ${fixed(d.gc.minor.maxMs, 1)} ms;` +
              ` other ${d.gc.major.count}, ${fixed(d.gc.major.totalMs, 0)} ms, longest ${fixed(d.gc.major.maxMs, 1)} ms)`
            : ''),
      );
    }
    lines.push(
      `  shed with a retry time: ${d.shed} of ${d.attempted} offered (${fixed((100 * d.shed) / Math.max(1, d.attempted), 1)}%)` +
        (d.retryAfterMs === null ? '' : `, Retry-After ${fixed(d.retryAfterMs / 1000, 1)} s`),
    );
    for (const e of d.errorSamples) lines.push(`transition error: ${e}`);
  }
  const g = r.goals;
  lines.push(
    `Fan-out Slotcast/bare: ${fixed(r.ratio.fanOut, 2)}× (${verdict(r.ratio.fanOut >= g.fanOutRatio, r.ratio.fanOut)} ≥ ${g.fanOutRatio}×); ` +
      `CPU per delivery, server + clients, bare/Slotcast: ${fixed(r.ratio.fanOutCpu, 2)}× (the steadier figure on a busy machine)`,
    `Commit→screen p99: ${fixed(l?.deliveries.p99Ms ?? Number.NaN, 1)} ms (${verdict((l?.deliveries.p99Ms ?? Number.NaN) <= g.latencyP99Ms, l?.deliveries.p99Ms ?? Number.NaN)} ≤ ${g.latencyP99Ms} ms)`,
    `Memory per socket Slotcast/bare: heap ${fixed(r.ratio.heapPerSocket, 2)}× (${verdict(r.ratio.heapPerSocket <= g.memoryRatio, r.ratio.heapPerSocket)} ≤ ${g.memoryRatio}×), ` +
      `RSS ${fixed(r.ratio.rssPerSocket, 2)}× (${verdict(r.ratio.rssPerSocket <= g.memoryRatio, r.ratio.rssPerSocket)} ≤ ${g.memoryRatio}×)`,
  );
  for (const [name, s] of [
    ['bare', r.bare],
    ['Slotcast', r.slotcast],
  ] as const) {
    const short = s.fanOut.filter((f) => f.delivered < f.expected);
    if (short.length) lines.push(`${name}: ${short.length} fan-out round(s) did not deliver everything`);
    if (s.connect.failed)
      lines.push(`${name}: ${s.connect.failed} sockets failed to connect: ${s.connect.errorSamples.join('; ')}`);
  }
  return lines.join('\n');
}

export function formatMetadata(r: RealtimeReport): string {
  const m = r.metadata;
  const o = r.options;
  return [
    `${m.date}  node ${m.node}  ${m.cpus} × ${m.cpuModel}  ${m.totalMemoryGiB} GiB  ${m.platform}  commit ${m.gitCommit ?? '?'}`,
    `${m.postgres}; machine ${fixed(m.backgroundCpuBusy * 100, 0)}% busy before the run`,
    `${o.clients} sockets (${o.clients - Math.round(o.clients / 10)} customers, ${Math.round(o.clients / 10)} staff of ` +
      `${o.vendors} vendors) per server, from ${o.clientProcesses} client processes; ${o.rounds} rounds of ${o.events} ` +
      `events per server (+${o.warmupEvents} warm-up); ${o.rate} transitions/s for ${o.seconds} s (+1 s warm-up)`,
  ].join('\n');
}
