/**
 * Analytics at a year's scale: generates ≈2 million bookings for 200 vendors (and the rollups the analytics worker
 * keeps from them) into a scratch PostgreSQL database, then measures each dashboard view's query time and the
 * rollup worker's rate. The database is dropped at the end. `npm run bench:analytics -- --help`.
 */
import pino from 'pino';
import { createBus } from '../packages/server/src/bus/create-bus.js';
import { offsetLag } from '../packages/server/src/store/durable-consumers.js';
import { migrate } from '../packages/server/src/store/migrate.js';
import { openPostgres } from '../packages/server/src/store/postgres.js';
import { AnalyticsService } from '../packages/server/src/usecases/analytics.js';
import { EngagementService } from '../packages/server/src/usecases/engagement.js';
import { ANALYTICS_WORKER, startAnalyticsWorker } from '../packages/server/src/workers/analytics-worker.js';
import { appendHistoryEvents, generateHistory } from './analytics/generate.js';
import { checkBackgroundLoad } from './lib/background-load.js';
import { databaseUrlOption, integerOption } from './lib/cli-options.js';
import { percentile } from './lib/latency.js';
import { writeResultFile } from './lib/result-file.js';
import { parseCommandLine, runMain } from './lib/run-main.js';
import { runMetadata } from './lib/run-metadata.js';
import { createScratchDatabase, redactUrl } from './lib/scratch-database.js';
import { formatTable } from './lib/table.js';

const USAGE = `npm run bench:analytics -- [options]

  --bookings N         bookings in the year of history (default 2000000)
  --vendors N          vendors, 5 resources each in four zones (default 200)
  --iterations N       timed runs of each view after 3 warm-up runs (default 30)
  --worker-bookings N  bookings whose events the rollup worker is timed on (default 10000, about 2.6 events each)
  --bookings-table     also copy the history into the bookings table (no view reads it; slower generation)
  --database-url URL   an admin URL of the test PostgreSQL (default $BENCH_DATABASE_URL, $TEST_DATABASE_URL)

Goals: each view p95 ≤ 200 ms; the worker ≥ 500 events/s.
`;

interface Options {
  bookings: number;
  vendors: number;
  iterations: number;
  workerBookings: number;
  databaseUrl: string;
  bookingsTable: boolean;
}

function parse(argv: readonly string[]): Options | null {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') return null;
    if (a === '--bookings-table') {
      flags.set('bookings-table', 'yes');
      continue;
    }
    if (!a.startsWith('--') || argv[i + 1] === undefined) throw new Error(`unexpected argument ${a}`);
    flags.set(a.slice(2), argv[++i]!);
  }
  for (const k of flags.keys()) {
    if (!['bookings', 'vendors', 'iterations', 'worker-bookings', 'database-url', 'bookings-table'].includes(k)) {
      throw new Error(`unknown flag --${k}`);
    }
  }
  return {
    bookings: integerOption('bookings', flags.get('bookings'), 2_000_000, 1_000, 5_000_000),
    vendors: integerOption('vendors', flags.get('vendors'), 200, 1, 2_000),
    iterations: integerOption('iterations', flags.get('iterations'), 30, 1, 1_000),
    workerBookings: integerOption('worker-bookings', flags.get('worker-bookings'), 10_000, 100, 200_000),
    databaseUrl: databaseUrlOption(flags.get('database-url'), process.env),
    bookingsTable: flags.has('bookings-table'),
  };
}

const LAST_DAY = '2026-11-27';
const ms = (x: number) => x.toFixed(1);

async function main(): Promise<number> {
  const cl = parseCommandLine(parse, USAGE);
  if ('exitCode' in cl) return cl.exitCode;
  const o = cl.options;
  const background = await checkBackgroundLoad();
  const scratch = await createScratchDatabase(o.databaseUrl, 'slotcast_bench_analytics');
  process.stdout.write(`scratch database ${scratch.name} on ${redactUrl(o.databaseUrl)}\n`);
  const db = await openPostgres(scratch.url, { poolSize: 4 });
  try {
    await migrate(db);
    const t0 = performance.now();
    await generateHistory(
      db,
      {
        bookings: o.bookings,
        vendors: o.vendors,
        resourcesPerVendor: 5,
        lastDay: LAST_DAY,
        users: 100_000,
        dailyUsers: 3_000,
        bookingsTable: o.bookingsTable,
      },
      (step, t) => process.stdout.write(`  generated ${step} in ${(t / 1000).toFixed(1)} s\n`),
    );
    const generationSeconds = (performance.now() - t0) / 1000;
    const [sizes] = await db.query<Record<string, number>>(
      `SELECT (SELECT count(*) FROM bench_history)::int AS history, (SELECT count(*) FROM bookings)::int AS bookings, (SELECT count(*) FROM analytics_hourly)::int AS hourly,
              (SELECT count(*) FROM analytics_resource_daily)::int AS resource_daily,
              (SELECT count(*) FROM analytics_confirm_times)::int AS confirm_times,
              (SELECT count(*) FROM analytics_user_days)::int AS user_days`,
    );
    process.stdout.write(`history generated in ${generationSeconds.toFixed(1)} s: ${JSON.stringify(sizes)}\n\n`);

    // The views, as the routes run them (use case + SQL; HTTP adds the same few ms to each).
    const analytics = new AnalyticsService(db);
    const engagement = new EngagementService(db);
    const [vendor] = await db.query<{ id: string }>(`SELECT id FROM vendors ORDER BY slug LIMIT 1`);
    const admin = {
      userId: crypto.randomUUID(),
      role: 'admin',
      vendorId: null,
      isOwner: false,
      sessionId: 'bench',
    } as const;
    const owner = { ...admin, role: 'staff', vendorId: vendor!.id, isOwner: true } as const;
    const yearFrom = '2025-11-28';
    const views: [string, () => Promise<unknown>][] = [
      [
        'heatmap made, all vendors, 365 d',
        () => analytics.heatmap(admin, { metric: 'made', from: yearFrom, to: LAST_DAY }),
      ],
      [
        'heatmap held, one vendor, 365 d',
        () => analytics.heatmap(owner, { metric: 'held', from: yearFrom, to: LAST_DAY }),
      ],
      ['trends 90 d, all vendors', () => analytics.trends(admin, { days: '90', to: LAST_DAY })],
      ['trends 90 d, one vendor', () => analytics.trends(owner, { days: '90', to: LAST_DAY })],
      ['vendor insights 90 d, one vendor', () => analytics.vendorInsights(owner, { days: '90', to: LAST_DAY })],
      ['vendor insights 90 d, all vendors', () => analytics.vendorInsights(admin, { days: '90', to: LAST_DAY })],
      ['engagement 90 d', () => engagement.engagement(admin, { days: '90', to: LAST_DAY })],
      [
        'socket heatmap 365 d',
        () => engagement.socketHeatmap(admin, { from: yearFrom, to: LAST_DAY, timeZone: 'Europe/Berlin' }),
      ],
    ];
    const rows: string[][] = [];
    const viewResults: { view: string; p50Ms: number; p95Ms: number; maxMs: number }[] = [];
    for (const [name, run] of views) {
      for (let i = 0; i < 3; i++) await run();
      const times: number[] = [];
      for (let i = 0; i < o.iterations; i++) {
        const t = performance.now();
        await run();
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      const r = { view: name, p50Ms: percentile(times, 50), p95Ms: percentile(times, 95), maxMs: times.at(-1)! };
      viewResults.push(r);
      rows.push([name, ms(r.p50Ms), ms(r.p95Ms), ms(r.maxMs), r.p95Ms <= 200 ? 'met' : 'NOT MET']);
      process.stdout.write(`  ${name}: p95 ${ms(r.p95Ms)} ms\n`);
    }

    // The worker: the events of the first bookings, appended as the write path would, rolled up from the start.
    const events = await appendHistoryEvents(db, o.workerBookings);
    const logger = pino({ level: 'silent' });
    const bus = createBus({ nodeId: 'bench', AMQP_URL: undefined, DATABASE_URL: scratch.url }, db, logger);
    await bus.start();
    const t1 = performance.now();
    const worker = await startAnalyticsWorker(bus, analytics);
    while (((await offsetLag(db, ANALYTICS_WORKER)) ?? 1) > 0) await new Promise((r) => setTimeout(r, 25));
    const workerSeconds = (performance.now() - t1) / 1000;
    await worker.stop();
    await bus.stop();
    const eventsPerSecond = events / workerSeconds;

    process.stdout.write(
      `\n${formatTable(
        [
          { header: 'view', align: 'left' },
          { header: 'p50 ms', align: 'right' },
          { header: 'p95 ms', align: 'right' },
          { header: 'max ms', align: 'right' },
          { header: '≤ 200 ms', align: 'left' },
        ],
        rows,
      )}\n` +
        `rollup worker: ${events} events in ${workerSeconds.toFixed(1)} s = ${Math.round(eventsPerSecond)} events/s ` +
        `(goal ≥ 500: ${eventsPerSecond >= 500 ? 'met' : 'NOT MET'})\n` +
        `machine busy before the run: ${Math.round(background * 100)}%\n`,
    );
    const meta = runMetadata();
    const file = await writeResultFile('analytics', meta.date, {
      meta,
      options: { ...o, databaseUrl: redactUrl(o.databaseUrl) },
      generationSeconds,
      sizes,
      views: viewResults,
      worker: { events, seconds: workerSeconds, eventsPerSecond },
      background,
    });
    process.stdout.write(`result: ${file}\n`);
    return 0;
  } finally {
    await db.close();
    await scratch.drop();
  }
}

runMain(main);
