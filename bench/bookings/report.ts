import type { RunMetadata } from '../lib/run-metadata.js';
import { type Column, fixed, formatTable } from '../lib/table.js';
import type { BenchOptions } from './options.js';
import type { PhaseResult, ScenarioResult } from './scenario.js';

/** Slotcast's throughput should be at least this share of the bare SQL's. Reported, not asserted. */
export const RATIO_GOAL = 0.6;

export interface BookingsReport {
  benchmark: 'bookings';
  /** backgroundCpuBusy: share of the machine busy with other work in the second before the run. */
  metadata: RunMetadata & { postgres: string; backgroundCpuBusy: number };
  options: Omit<BenchOptions, 'databaseUrl'>;
  slotcast: ScenarioResult;
  bareSql: ScenarioResult;
  /** Slotcast ops/s divided by bare SQL ops/s. */
  ratio: { create: number; confirm: number; goal: number };
}

export function ratios(slotcast: ScenarioResult, bare: ScenarioResult): BookingsReport['ratio'] {
  const r = (a: PhaseResult, b: PhaseResult) => (b.opsPerSec > 0 ? a.opsPerSec / b.opsPerSec : Number.NaN);
  return { create: r(slotcast.create, bare.create), confirm: r(slotcast.confirm, bare.confirm), goal: RATIO_GOAL };
}

const COLUMNS: Column[] = [
  { header: 'Path' },
  { header: 'Operation' },
  { header: 'ops/s', align: 'right' },
  { header: 'p50 ms', align: 'right' },
  { header: 'p99 ms', align: 'right' },
  { header: 'ok', align: 'right' },
  { header: 'conflicts', align: 'right' },
  { header: 'errors', align: 'right' },
  { header: 'SQL/op', align: 'right' },
  { header: 'node CPU', align: 'right' },
  { header: 'event loop', align: 'right' },
  { header: 'machine CPU', align: 'right' },
];

const percent = (v: number) => `${fixed(v * 100, 0)}%`;

function row(path: string, operation: string, p: PhaseResult): string[] {
  return [
    path,
    operation,
    fixed(p.opsPerSec, 0),
    fixed(p.p50Ms, 2),
    fixed(p.p99Ms, 2),
    String(p.ok),
    String(p.conflicts),
    String(p.errors),
    fixed(p.statementsPerOp, 1),
    percent(p.cpu.processCores),
    percent(p.cpu.eventLoopUtilization),
    percent(p.cpu.machineBusy),
  ];
}

/** The results table and the ratio lines, as Markdown that reads well in a terminal. */
export function formatReport(r: BookingsReport): string {
  const table = formatTable(COLUMNS, [
    row('Slotcast HTTP', 'create', r.slotcast.create),
    row('Slotcast HTTP', 'confirm', r.slotcast.confirm),
    row('bare SQL', 'create', r.bareSql.create),
    row('bare SQL', 'confirm', r.bareSql.confirm),
  ]);
  const verdict = (v: number) => (Number.isNaN(v) ? 'no figure for' : v >= r.ratio.goal ? 'meets' : 'below');
  const lines = [
    table,
    '',
    `Slotcast/bare ops/s: create ${fixed(r.ratio.create, 2)} (${verdict(r.ratio.create)} the ${r.ratio.goal} goal), ` +
      `confirm ${fixed(r.ratio.confirm, 2)} (${verdict(r.ratio.confirm)} the ${r.ratio.goal} goal)`,
  ];
  for (const [name, s] of [
    ['Slotcast', r.slotcast],
    ['bare SQL', r.bareSql],
  ] as const) {
    for (const [op, p] of Object.entries(s) as [string, PhaseResult][]) {
      if (p.stoppedBy !== 'count')
        lines.push(`${name} ${op} stopped early (${p.stoppedBy}) after ${p.ok + p.conflicts + p.errors}`);
      for (const e of p.errorSamples) lines.push(`${name} ${op} error: ${e}`);
    }
  }
  return lines.join('\n');
}

export function formatMetadata(r: BookingsReport): string {
  const m = r.metadata;
  const o = r.options;
  return [
    `${m.date}  node ${m.node}  ${m.cpus} × ${m.cpuModel}  ${m.totalMemoryGiB} GiB  ${m.platform}  commit ${m.gitCommit ?? '?'}`,
    `${m.postgres}; machine ${fixed(m.backgroundCpuBusy * 100, 0)}% busy before the run`,
    `concurrency ${o.concurrency}, count ${o.count}, max ${o.seconds} s per phase, warm-up ${o.warmup}, ` +
      `${o.resources} resources, ${o.customers} customers, pool ${o.poolSize} per side, ` +
      `Idempotency-Key ${o.idempotencyKeys ? 'on' : 'off'}, server log level ${o.serverLogLevel}, ` +
      `notifications ${o.consumersElsewhere ? 'left to another node' : 'written by this node'}`,
  ].join('\n');
}
