/**
 * Bookings throughput: creates and confirms through a real Slotcast node's HTTP API, then the same transactions as
 * bare SQL, on a scratch PostgreSQL database that is dropped at the end. `npm run bench:bookings -- --help`.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import pino from 'pino';
import { createSlotcast, type Slotcast } from '../packages/server/src/app.js';
import { loadConfig } from '../packages/server/src/config.js';
import { migrate } from '../packages/server/src/store/migrate.js';
import { openPostgres } from '../packages/server/src/store/postgres.js';
import { bareSqlTarget } from './bookings/bare-sql-target.js';
import { type BenchWorld, seedWorld } from './bookings/fixtures.js';
import { type BenchOptions, parseOptions, USAGE } from './bookings/options.js';
import { type BookingsReport, formatMetadata, formatReport, ratios } from './bookings/report.js';
import { runScenario, type ScenarioOptions, type ScenarioResult } from './bookings/scenario.js';
import { firstSlotStart, SlotPlan } from './bookings/slot-plan.js';
import { slotcastTarget } from './bookings/slotcast-target.js';
import { countStatements } from './bookings/statement-counter.js';
import { checkBackgroundLoad } from './lib/background-load.js';
import { JsonHttpClient } from './lib/json-http.js';
import { writeResultFile } from './lib/result-file.js';
import { onInterrupt, parseCommandLine, runMain } from './lib/run-main.js';
import { runMetadata } from './lib/run-metadata.js';
import { createScratchDatabase, redactUrl } from './lib/scratch-database.js';
import { type ConsumerHold, holdConsumers } from './realtime/consumer-hold.js';

const UNLIMITED_RATE = 1_000_000_000;

interface SlotcastRun {
  world: BenchWorld;
  plan: SlotPlan;
  postgres: string;
  result: ScenarioResult;
}

/**
 * Starts a Slotcast node on the scratch database, seeds it, measures it, and stops it before the bare SQL run begins.
 * Returns the world and the slot plan, so the bare run books the same things in slots nobody holds yet.
 */
async function measureSlotcast(url: string, options: BenchOptions, scenario: ScenarioOptions): Promise<SlotcastRun> {
  const db = await openPostgres(url, { poolSize: options.poolSize });
  const counted = countStatements(db);
  let slotcast: Slotcast | null = null;
  let http: JsonHttpClient | null = null;
  let hold: ConsumerHold | null = null;
  try {
    await migrate(db);
    const world = await seedWorld(db, options);
    const [{ version: postgres } = { version: 'unknown' }] = await db.query<{ version: string }>('SELECT version()');
    const config = loadConfig({
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      JWT_SECRET: randomBytes(32).toString('base64url'),
      ACCESS_TOKEN_TTL_SECONDS: '3600',
      DATABASE_POOL_SIZE: String(options.poolSize),
      DATA_DIR: os.tmpdir(),
      DEMO_DATA: 'false',
      LOG_LEVEL: options.serverLogLevel,
      // All load comes from one address; per-address limits sized for people would refuse it. The limiter still
      // runs on every request (its cost is measured), it just never says no.
      RATE_LIMIT_HTTP_MUTATIONS: `${UNLIMITED_RATE}/60`,
      RATE_LIMIT_HTTP_READS: `${UNLIMITED_RATE}/60`,
    });
    const logger = pino({ level: options.serverLogLevel }, pino.destination('/dev/null'));
    slotcast = await createSlotcast(config, logger, { db: counted.db });
    const { url: baseUrl } = await slotcast.listen();
    if (options.consumersElsewhere) {
      hold = await holdConsumers(url);
      if (!hold) throw new Error('--consumers-elsewhere: this node runs no log consumers');
    }
    http = new JsonHttpClient(baseUrl, options.concurrency);
    const target = await slotcastTarget(http, world, {
      idempotencyKeys: options.idempotencyKeys,
      statements: counted.statements,
    });
    const slots = new SlotPlan(world.resourceIds, firstSlotStart(new Date()));
    const result = await runScenario(target, slots, scenario);
    return { world, plan: slots, postgres, result };
  } finally {
    http?.close();
    await hold?.release();
    await slotcast?.close();
    await db.close();
  }
}

async function measureBareSql(
  url: string,
  options: BenchOptions,
  world: BenchWorld,
  plan: SlotPlan,
  scenario: ScenarioOptions,
) {
  const target = bareSqlTarget(url, options.poolSize, world);
  try {
    return await runScenario(target, plan, scenario);
  } finally {
    await target.close();
  }
}

async function main(): Promise<number> {
  const commandLine = parseCommandLine(parseOptions, USAGE);
  if ('exitCode' in commandLine) return commandLine.exitCode;
  const { options } = commandLine;

  const abort = new AbortController();
  const onSignal = () => {
    process.stderr.write('interrupted: letting in-flight work finish, then dropping the database\n');
    abort.abort();
  };
  const stopListening = onInterrupt(onSignal);

  const metadata = runMetadata();
  const background = await checkBackgroundLoad();
  const scenario: ScenarioOptions = { ...options, signal: abort.signal };
  const scratch = await createScratchDatabase(options.databaseUrl, 'slotcast_bench');
  process.stdout.write(`scratch database ${scratch.name} on ${redactUrl(options.databaseUrl)}\n`);
  try {
    process.stdout.write('Slotcast over HTTP…\n');
    const s = await measureSlotcast(scratch.url, options, scenario);
    // The node is stopped by now: the bare run has the machine and the database to itself.
    process.stdout.write('bare SQL…\n');
    const bare = await measureBareSql(scratch.url, options, s.world, s.plan, scenario);

    const { databaseUrl: _, ...shown } = options;
    const report: BookingsReport = {
      benchmark: 'bookings',
      metadata: { ...metadata, postgres: s.postgres, backgroundCpuBusy: background },
      options: shown,
      slotcast: s.result,
      bareSql: bare,
      ratio: ratios(s.result, bare),
    };
    process.stdout.write(`\n${formatMetadata(report)}\n\n${formatReport(report)}\n\n`);
    if (abort.signal.aborted) {
      process.stdout.write('interrupted: no result file written\n');
      return 130;
    }
    process.stdout.write(`wrote ${await writeResultFile('bookings', report.metadata.date, report)}\n`);
    const phases = [s.result.create, s.result.confirm, bare.create, bare.confirm];
    return phases.some((p) => p.errors > 0) ? 1 : 0;
  } finally {
    await scratch.drop();
    stopListening();
  }
}

runMain(main);
