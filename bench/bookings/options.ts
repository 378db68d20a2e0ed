import { parseArgs } from 'node:util';
import { DEFAULT_DATABASE_URL, databaseUrlOption, integerOption as integer } from '../lib/cli-options.js';

export { DEFAULT_DATABASE_URL };

const LOG_LEVELS = ['silent', 'fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

export interface BenchOptions {
  /** Requests (or transactions) in flight at any moment. */
  concurrency: number;
  /** Measured operations per phase, at most. */
  count: number;
  /** Longest a measured phase may run. */
  seconds: number;
  /** Operations per phase before measuring (caches, JIT, connection pools). */
  warmup: number;
  resources: number;
  customers: number;
  /** PostgreSQL connections, the same for the Slotcast node and for the bare SQL pool. */
  poolSize: number;
  /** An existing database on a server where this role may CREATE DATABASE; the benchmark makes its own beside it. */
  databaseUrl: string;
  /** Send Idempotency-Key on every Slotcast request, as the API asks clients to. */
  idempotencyKeys: boolean;
  /** The Slotcast node's log level; its logs go to /dev/null, so this measures the cost of logging only. */
  serverLogLevel: (typeof LOG_LEVELS)[number];
  /** Play "another node runs the log consumers": the node under test writes no notifications. */
  consumersElsewhere: boolean;
}

export const USAGE = `Usage: npm run bench:bookings -- [options]

Creates a scratch PostgreSQL database, starts a Slotcast node on 127.0.0.1, measures booking creates and
confirms through the HTTP API and the same transactions as bare SQL, prints a table and writes
bench/results/bookings-<timestamp>.json. The database is dropped at the end.

  --concurrency N        in-flight operations (default 16)
  --count N              measured operations per phase, at most (default 2000)
  --seconds N            longest a measured phase runs (default 20)
  --warmup N             unmeasured operations per phase first (default 200)
  --resources N          resources the bookings are spread over (default 50)
  --customers N          customer accounts that book (default 8)
  --pool-size N          PostgreSQL connections per side (default 10, Slotcast's default)
  --database-url URL     admin connection (default $BENCH_DATABASE_URL, $TEST_DATABASE_URL or
                         ${DEFAULT_DATABASE_URL})
  --no-idempotency-key   do not send Idempotency-Key headers
  --server-log-level L   ${LOG_LEVELS.join('|')} (default silent; logs are discarded)
  --consumers-elsewhere  hold the log consumers' offsets, as if another node ran them: the node
                         under test writes no notifications (default: it does, as a single node would)
  --help                 show this
`;

/** Parses the command line; returns null when --help was asked for. Throws with a clear message on a bad value. */
export function parseOptions(
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
): BenchOptions | null {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      concurrency: { type: 'string' },
      count: { type: 'string' },
      seconds: { type: 'string' },
      warmup: { type: 'string' },
      resources: { type: 'string' },
      customers: { type: 'string' },
      'pool-size': { type: 'string' },
      'database-url': { type: 'string' },
      'no-idempotency-key': { type: 'boolean' },
      'server-log-level': { type: 'string' },
      'consumers-elsewhere': { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return null;
  const level = values['server-log-level'] ?? 'silent';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new Error(`--server-log-level must be one of ${LOG_LEVELS.join(', ')}`);
  }
  return {
    concurrency: integer('concurrency', values.concurrency, 16, 1, 1024),
    count: integer('count', values.count, 2000, 1, 1_000_000),
    seconds: integer('seconds', values.seconds, 20, 1, 600),
    warmup: integer('warmup', values.warmup, 200, 0, 100_000),
    resources: integer('resources', values.resources, 50, 1, 10_000),
    customers: integer('customers', values.customers, 8, 1, 1000),
    poolSize: integer('pool-size', values['pool-size'], 10, 1, 200),
    databaseUrl: databaseUrlOption(values['database-url'], env),
    idempotencyKeys: !values['no-idempotency-key'],
    serverLogLevel: level as BenchOptions['serverLogLevel'],
    consumersElsewhere: values['consumers-elsewhere'] === true,
  };
}
