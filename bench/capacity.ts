/**
 * Capacity planning from measured costs: `npm run capacity -- --connections 1000000 --events-per-second 50000`.
 * Reads the newest results in bench/results (npm run loadtest, npm run bench:realtime); flags override any cost.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { measuredCosts } from './capacity/inputs.js';
import { type Assumptions, DEFAULT_ASSUMPTIONS, type MeasuredCosts, planCapacity } from './capacity/model.js';
import { formatPlan } from './capacity/report.js';
import { fileTimestamp } from './lib/result-file.js';

const USAGE = `Usage: npm run capacity -- --connections N --events-per-second N [options]

Projects Slotcast nodes, RabbitMQ, Redis and PostgreSQL load for a target from costs measured on this machine (the
newest load-*.json and realtime-*.json in --results), states its assumptions and suggests HPA triggers.

  --connections N              concurrent sockets (default 1000000)
  --events-per-second N        booking events committed per second (default 50000)
  --results DIR                where the measurements are (default bench/results)
  --deliveries-per-event N     sockets each event reaches (default ${DEFAULT_ASSUMPTIONS.deliveriesPerEvent})
  --sockets-per-node N         cap per node (default ${DEFAULT_ASSUMPTIONS.socketsPerNodeCap})
  --pod-memory-gib N           memory per pod (default ${DEFAULT_ASSUMPTIONS.podMemoryGiB})
  --cpu-target F               busy share of a core per node (default ${DEFAULT_ASSUMPTIONS.cpuTarget})
  --reconnects-per-second-per-node N   (default ${DEFAULT_ASSUMPTIONS.reconnectsPerSecondPerNode})
  Costs (override what was measured):
  --rss-per-socket B  --base-rss-mib N  --idle-cpu-ms-per-socket-second MS  --cpu-ms-per-delivery MS
  --cpu-ms-per-transition MS  --cpu-ms-per-bus-event MS  --cpu-ms-per-reconnect MS  --http-per-transition N
  --json                       print the plan as JSON instead
  --help
`;

const COST_FLAGS: Record<string, keyof MeasuredCosts> = {
  'rss-per-socket': 'rssPerSocket',
  'base-rss-mib': 'baseRssMiB',
  'idle-cpu-ms-per-socket-second': 'idleCpuMsPerSocketSecond',
  'cpu-ms-per-delivery': 'cpuMsPerDelivery',
  'cpu-ms-per-transition': 'cpuMsPerTransition',
  'cpu-ms-per-bus-event': 'cpuMsPerBusEvent',
  'cpu-ms-per-reconnect': 'cpuMsPerReconnect',
  'http-per-transition': 'httpPerTransition',
};
const ASSUMPTION_FLAGS: Record<string, keyof Assumptions> = {
  'deliveries-per-event': 'deliveriesPerEvent',
  'sockets-per-node': 'socketsPerNodeCap',
  'pod-memory-gib': 'podMemoryGiB',
  'cpu-target': 'cpuTarget',
  'reconnects-per-second-per-node': 'reconnectsPerSecondPerNode',
};

function number(name: string, raw: string): number {
  const v = Number(raw);
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} must be a non-negative number`);
  return v;
}

async function main(): Promise<number> {
  const options = Object.fromEntries(
    ['connections', 'events-per-second', 'results', ...Object.keys(COST_FLAGS), ...Object.keys(ASSUMPTION_FLAGS)].map(
      (k) => [k, { type: 'string' as const }],
    ),
  );
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { ...options, json: { type: 'boolean' }, help: { type: 'boolean' } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const str = (k: string) => (values as Record<string, string | boolean | undefined>)[k] as string | undefined;
  const dir = str('results') ?? 'bench/results';
  const costs = await measuredCosts(dir);
  for (const [flag, key] of Object.entries(COST_FLAGS)) {
    const raw = str(flag);
    if (raw !== undefined) costs[key] = { value: number(flag, raw), source: `--${flag}` };
  }
  const assumptions: Assumptions = { ...DEFAULT_ASSUMPTIONS };
  for (const [flag, key] of Object.entries(ASSUMPTION_FLAGS)) {
    const raw = str(flag);
    if (raw !== undefined) assumptions[key] = number(flag, raw);
  }
  const target = {
    connections: number('connections', str('connections') ?? '1000000'),
    eventsPerSecond: number('events-per-second', str('events-per-second') ?? '50000'),
  };
  const m = Object.fromEntries(Object.entries(costs).map(([k, v]) => [k, v.value])) as unknown as MeasuredCosts;
  const plan = planCapacity(m, target, assumptions);
  const text = formatPlan(plan, costs, assumptions);
  await mkdir(dir, { recursive: true });
  const file = path.resolve(dir, `capacity-${fileTimestamp(new Date().toISOString())}.json`);
  await writeFile(file, `${JSON.stringify({ target, costs, assumptions, plan }, null, 2)}\n`);
  process.stdout.write(values.json ? `${JSON.stringify(plan, null, 2)}\n` : `${text}\n\nwrote ${file}\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error) => {
    process.stderr.write(`${err.message}\n\n${USAGE}`);
    process.exitCode = 2;
  },
);
