import { parseArgs } from 'node:util';
import { DEFAULT_DATABASE_URL, databaseUrlOption, numberOption as num } from '../lib/cli-options.js';

export const SCENARIOS = ['browse-book-cancel', 'staff', 'idle', 'reconnect-storm', 'flood'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface LoadOptions {
  scenario: ScenarioName;
  /** Servers to drive (one node, or a load balancer); empty when spawning. */
  urls: string[];
  spawn: boolean;
  servers: number;
  /** First port of spawned servers; 0 = ephemeral. */
  port: number;
  serverKind: 'slotcast' | 'bare';
  /** idle: measure a bare Socket.IO server with the same sockets first, for the memory ratio. */
  baseline: boolean;
  clients: number;
  vendors: number;
  staffShare: number;
  workers: number;
  sourceAddresses: number;
  /** Connections opened per second during the ramp, all workers together. */
  ramp: number;
  /** Booking transitions per second (browse-book-cancel, staff; flood: background traffic). */
  rate: number;
  /** Seconds of the measured phase. */
  duration: number;
  /** reconnect-storm: events each client misses while away. */
  missed: number;
  /** reconnect-storm: seconds allowed for every client to be back and replayed. */
  stormDeadline: number;
  /** flood: share of clients that flood; the rest are bystanders whose latency is watched. */
  floodShare: number;
  /** flood: follow messages and HTTP reads per second from each flooding client. */
  floodRate: number;
  drainSeconds: number;
  /** Spawn: an admin URL to create the scratch database beside. External: the target's own database. */
  databaseUrl: string;
  /** External: the target's JWT_SECRET, to mint tokens for the accounts the load test inserts. */
  jwtSecret: string | null;
  serverLogLevel: string;
  serverEnv: Record<string, string>;
  outDir: string;
  label: string | null;
  screenshot: boolean;
  seed: number;
}

export const USAGE = `Usage: npm run loadtest -- --scenario NAME [options]

Drives Slotcast with simulated users over real Socket.IO connections and HTTP, from several worker processes and
loopback source addresses, and writes bench/results/load-<scenario>-<time>.{json,txt,html}.

Scenarios:
  browse-book-cancel  customers read availability, book, cancel; every socket listens (10% staff)
  staff               customers request, staff confirm and reschedule, then cancel
  idle                connected listeners only: connection cost and memory per socket
  reconnect-storm     every client drops, misses --missed events each, and reconnects with its cursor at once
  flood               --flood-share of clients flood follow messages and reads; bystanders' latency is watched

Target (one of):
  --spawn-server         start --servers Slotcast processes on a scratch PostgreSQL database (dropped at the end)
  --url URL              a running node or load balancer (repeat or comma-separate for several); needs
                         --database-url (its database: accounts are inserted there) and --jwt-secret (its JWT_SECRET)

Options:
  --servers N            spawned servers, clients spread over them (default 1)
  --port N               first port of spawned servers (default 0: any free port)
  --server-kind K        slotcast (default) or bare (a bare Socket.IO server; idle only)
  --baseline             idle: first measure a bare Socket.IO server with the same sockets (memory ratio)
  --clients N            sockets (default 1000)
  --vendors N            vendors (default clients/200, at least 1)
  --staff-share F        share of accounts that are staff (default 0.1; reconnect-storm connects customers only)
  --workers N            load generator processes (default: one per 6000 sockets, at least 2)
  --source-addresses N   loopback source addresses 127.0.0.11… (default 16)
  --ramp N               connections opened per second (default 500)
  --rate N               booking transitions per second (default 50; flood: 10 in the background)
  --duration S           seconds of the measured phase (default 20)
  --missed M             reconnect-storm: events each client misses (default 10)
  --storm-deadline S     reconnect-storm: seconds allowed for all to be back (default 120)
  --flood-share F        flood: share of clients flooding (default 0.1)
  --flood-rate N         flood: follow messages and reads per second per flooding client (default 50)
  --drain-seconds S      at most this long to wait for the last deliveries (default 60)
  --database-url URL     default $BENCH_DATABASE_URL, $TEST_DATABASE_URL or ${DEFAULT_DATABASE_URL}
  --jwt-secret S         the target's JWT_SECRET (external targets; spawned servers get a random one)
  --server-log-level L   spawned servers' LOG_LEVEL (default warn: info logs every socket)
  --server-env K=V       extra environment for spawned servers (repeatable)
  --out DIR              results folder (default bench/results)
  --label TEXT           a note stored with the result
  --screenshot           also write a PNG of the HTML report (headless Chromium)
  --seed N               random seed (default 1)
  --help
`;

/** Parses the command line; null for --help. Throws with a clear message on a bad or missing value. */
export function parseLoadOptions(
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
): LoadOptions | null {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      scenario: { type: 'string' },
      url: { type: 'string', multiple: true },
      'spawn-server': { type: 'boolean' },
      servers: { type: 'string' },
      port: { type: 'string' },
      'server-kind': { type: 'string' },
      baseline: { type: 'boolean' },
      clients: { type: 'string' },
      vendors: { type: 'string' },
      'staff-share': { type: 'string' },
      workers: { type: 'string' },
      'source-addresses': { type: 'string' },
      ramp: { type: 'string' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      missed: { type: 'string' },
      'storm-deadline': { type: 'string' },
      'flood-share': { type: 'string' },
      'flood-rate': { type: 'string' },
      'drain-seconds': { type: 'string' },
      'database-url': { type: 'string' },
      'jwt-secret': { type: 'string' },
      'server-log-level': { type: 'string' },
      'server-env': { type: 'string', multiple: true },
      out: { type: 'string' },
      label: { type: 'string' },
      screenshot: { type: 'boolean' },
      seed: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return null;
  const scenario = values.scenario as ScenarioName | undefined;
  if (!scenario || !SCENARIOS.includes(scenario)) throw new Error(`--scenario must be one of ${SCENARIOS.join(', ')}`);
  const urls = (values.url ?? []).flatMap((u) => u.split(',').map((s) => s.trim())).filter(Boolean);
  for (const u of urls) {
    const parsed = new URL(u);
    if (!/^http:$/.test(parsed.protocol)) throw new Error(`--url must be http://…: ${u}`);
  }
  const spawn = values['spawn-server'] === true;
  if (spawn === urls.length > 0) throw new Error('give either --spawn-server or --url');
  const jwtSecret = values['jwt-secret'] ?? null;
  if (!spawn && !jwtSecret) throw new Error('--url needs --jwt-secret (the target’s JWT_SECRET) and --database-url');
  const serverKind = (values['server-kind'] ?? 'slotcast') as LoadOptions['serverKind'];
  if (serverKind !== 'slotcast' && serverKind !== 'bare') throw new Error('--server-kind must be slotcast or bare');
  if (serverKind === 'bare' && scenario !== 'idle') throw new Error('--server-kind bare serves the idle scenario only');
  if (values.baseline && (scenario !== 'idle' || !spawn))
    throw new Error('--baseline needs --scenario idle and --spawn-server');
  const clients = num('clients', values.clients, 1000, 1, 200_000);
  const serverEnv: Record<string, string> = {};
  for (const kv of values['server-env'] ?? []) {
    const eq = kv.indexOf('=');
    if (eq < 1) throw new Error(`--server-env needs KEY=VALUE: ${kv}`);
    serverEnv[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  // One process holds at most ~20,000 descriptors: leave room for everything else a worker opens.
  const workers = num('workers', values.workers, Math.max(2, Math.ceil(clients / 6000)), 1, 64);
  if (clients / workers > 18_000)
    throw new Error(`${clients} clients need at least ${Math.ceil(clients / 18_000)} workers`);
  return {
    scenario,
    urls,
    spawn,
    servers: num('servers', values.servers, 1, 1, 16),
    port: num('port', values.port, 0, 0, 65_000),
    serverKind,
    baseline: values.baseline === true,
    clients,
    vendors: num('vendors', values.vendors, Math.max(1, Math.round(clients / 200)), 1, 100_000),
    staffShare: num('staff-share', values['staff-share'], 0.1, 0, 0.9, false),
    workers,
    sourceAddresses: num('source-addresses', values['source-addresses'], 16, 1, 200),
    ramp: num('ramp', values.ramp, 500, 1, 100_000),
    rate: num('rate', values.rate, scenario === 'flood' ? 10 : 50, 0, 100_000),
    duration: num('duration', values.duration, 20, 1, 3600),
    missed: num('missed', values.missed, 10, 1, 10_000),
    stormDeadline: num('storm-deadline', values['storm-deadline'], 120, 1, 3600),
    floodShare: num('flood-share', values['flood-share'], 0.1, 0, 1, false),
    floodRate: num('flood-rate', values['flood-rate'], 50, 1, 10_000),
    drainSeconds: num('drain-seconds', values['drain-seconds'], 60, 1, 3600),
    databaseUrl: databaseUrlOption(values['database-url'], env),
    jwtSecret,
    serverLogLevel: values['server-log-level'] ?? 'warn',
    serverEnv,
    outDir: values.out ?? 'bench/results',
    label: values.label ?? null,
    screenshot: values.screenshot === true,
    seed: num('seed', values.seed, 1, 0, 2 ** 31),
  };
}
