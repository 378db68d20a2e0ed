import { parseArgs } from 'node:util';
import { DEFAULT_DATABASE_URL, databaseUrlOption, integerOption as integer } from '../lib/cli-options.js';

export { DEFAULT_DATABASE_URL };

export const NOTIFIERS = ['local', 'local-thread', 'local-main', 'elsewhere'] as const;
export type Notifier = (typeof NOTIFIERS)[number];
/** The node's WORKERS_THREAD for each --notifier. */
export const WORKERS_THREAD_OF: Record<Notifier, string> = {
  local: 'auto',
  'local-thread': 'true',
  'local-main': 'false',
  elsewhere: 'auto',
};

export interface RealtimeOptions {
  /** Connected sockets in total: 90% customers, 10% staff. */
  clients: number;
  /** Vendors the staff are spread over; each booking event reaches its customer and one vendor's staff. */
  vendors: number;
  /** Client processes the sockets are spread over. */
  clientProcesses: number;
  /** Booking events driven through the bus per server for the fan-out measurement. */
  events: number;
  /** Events driven through first, unmeasured (JIT, buffers). */
  warmupEvents: number;
  /** Fan-out rounds per server, alternating between the two; the median counts. */
  rounds: number;
  /** Booking transitions per second committed for the latency measurement. */
  rate: number;
  /** Measured seconds of the latency phase (after one unmeasured second). */
  seconds: number;
  /** Sockets each client process has connecting at once. */
  connectConcurrency: number;
  /**
   * Who writes notifications for the booking events of (b): this node's own consumer (`local`, as a single node
   * runs, WORKERS_THREAD=auto; `local-thread`: in its workers thread; `local-main`: on its main thread), or another node
   * (`elsewhere`: the benchmark holds the consumer's lock). (a) always uses `elsewhere`.
   */
  notifier: Notifier;
  quick: boolean;
  /** Write a V8 CPU profile of each server process to bench/results (open it in Chrome DevTools). */
  profile: boolean;
  /** Write a V8 heap snapshot of each server at the first and the last memory sample to bench/results. */
  heapSnapshots: boolean;
  /** An existing database on a server where this role may CREATE DATABASE; the benchmark makes its own beside it. */
  databaseUrl: string;
}

export const USAGE = `Usage: npm run bench:realtime -- [options]

Seeds customers and staff in a scratch PostgreSQL database, starts a Slotcast node on it and a bare Socket.IO
server on a second one (each in its own process, on 127.0.0.1), and connects the same identities to both from
several client processes. Measures (c) memory per connected socket, (a) fan-out: booking events per second from
the bus to sockets, in rounds that alternate between the two servers, and (b) commit→screen latency at a fixed rate
of booking transitions (Slotcast only). Prints a table and writes bench/results/realtime-<timestamp>.json. The
databases are dropped at the end.

  --clients N            connected sockets, 90% customers and 10% staff (default 10000; --quick 1000)
  --vendors N            vendors the staff belong to (default clients/200, i.e. 20 staff each)
  --client-procs N       client processes (default 5)
  --events N             events driven through the bus per server in (a) (default 20000; --quick 5000)
  --warmup-events N      unmeasured events first (default events/10)
  --rounds N             fan-out rounds per server, alternating bare and Slotcast; the median is reported
                         (default 3; --quick 2)
  --rate N               booking transitions per second in (b) (default 500)
  --seconds N            measured seconds of (b) (default 10; --quick 3)
  --connect-concurrency N  handshakes in flight per client process (default 50)
  --notifier WHERE       who writes notifications during (b): local (this node as configured by default:
                         WORKERS_THREAD=auto), local-thread (this node, in its workers thread), local-main (this node,
                         on its main thread) or elsewhere
                         (another node; the benchmark holds the consumer's lock). (a) always uses elsewhere
  --quick                smoke run: the smaller defaults above
  --profile              write CPU profiles to bench/results/ (.cpuprofile): each server process, its drive, and
                         every process (servers and clients) in each fan-out round
  --heap-snapshots       write a heap snapshot of each server at the first and the last memory sample to
                         bench/results/ (compare them with bench/realtime/heap-diff.ts)
  --database-url URL     admin connection (default $BENCH_DATABASE_URL, $TEST_DATABASE_URL or
                         ${DEFAULT_DATABASE_URL})
  --help                 show this
`;

/** Parses the command line; returns null when --help was asked for. Throws with a clear message on a bad value. */
export function parseOptions(
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
): RealtimeOptions | null {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      clients: { type: 'string' },
      vendors: { type: 'string' },
      'client-procs': { type: 'string' },
      events: { type: 'string' },
      'warmup-events': { type: 'string' },
      rounds: { type: 'string' },
      rate: { type: 'string' },
      seconds: { type: 'string' },
      'connect-concurrency': { type: 'string' },
      notifier: { type: 'string' },
      quick: { type: 'boolean' },
      profile: { type: 'boolean' },
      'heap-snapshots': { type: 'boolean' },
      'database-url': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return null;
  const quick = values.quick === true;
  // A process may hold about 20,000 descriptors: the server holds one per socket plus its pool.
  const clients = integer('clients', values.clients, quick ? 1000 : 10_000, 10, 19_000);
  const vendors = integer('vendors', values.vendors, Math.max(1, Math.round(clients / 200)), 1, clients);
  const events = integer('events', values.events, quick ? 5000 : 20_000, 1, 1_000_000);
  const staff = Math.round(clients / 10);
  const notifier = values.notifier ?? 'local';
  if (!NOTIFIERS.includes(notifier as Notifier)) throw new Error(`--notifier must be ${NOTIFIERS.join(', ')}`);
  if (staff < vendors) throw new Error(`--vendors ${vendors} is more than the ${staff} staff of ${clients} clients`);
  return {
    clients,
    vendors,
    clientProcesses: integer('client-procs', values['client-procs'], 5, 1, 32),
    events,
    warmupEvents: integer('warmup-events', values['warmup-events'], Math.ceil(events / 10), 0, 1_000_000),
    rounds: integer('rounds', values.rounds, quick ? 2 : 3, 1, 20),
    rate: integer('rate', values.rate, 500, 1, 100_000),
    seconds: integer('seconds', values.seconds, quick ? 3 : 10, 1, 600),
    connectConcurrency: integer('connect-concurrency', values['connect-concurrency'], 50, 1, 5000),
    notifier: notifier as Notifier,
    quick,
    profile: values.profile === true,
    heapSnapshots: values['heap-snapshots'] === true,
    databaseUrl: databaseUrlOption(values['database-url'], env),
  };
}
