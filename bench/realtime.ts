/**
 * Realtime fan-out: a Slotcast node and a bare Socket.IO server, side by side, each in its own process on its own
 * scratch PostgreSQL database, with the same identities connected to both from several client processes. Measures
 * memory per socket, fan-out from the bus (rounds alternating between the two) and commit→screen latency.
 * `npm run bench:realtime -- --help`.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { PROTOCOL_VERSION } from '@slotcast/protocol';
import type { Db } from '../packages/server/src/store/db.js';
import { migrate } from '../packages/server/src/store/migrate.js';
import { openPostgres } from '../packages/server/src/store/postgres.js';
import { checkBackgroundLoad } from './lib/background-load.js';
import { summarize } from './lib/latency.js';
import { RESULTS_DIR, writeResultFile } from './lib/result-file.js';
import { onInterrupt, parseCommandLine, runMain } from './lib/run-main.js';
import { runMetadata } from './lib/run-metadata.js';
import { createScratchDatabase, redactUrl } from './lib/scratch-database.js';
import { Child, killAll } from './realtime/child-rpc.js';
import type { ClientStats, ConnectResult, LatencySamples } from './realtime/client-process.js';
import { holdConsumers } from './realtime/consumer-hold.js';
import { appendPlanned, expectedDeliveries, type PlannedEvent, planEvents } from './realtime/fan-out-plan.js';
import { bytesPerSocket, heapBytes, rssBytes } from './realtime/memory-slope.js';
import { parseOptions, type RealtimeOptions, USAGE, WORKERS_THREAD_OF } from './realtime/options.js';
import { allIdentities, type Population, seedPopulation } from './realtime/population.js';
import {
  type FanOutResult,
  formatMetadata,
  formatReport,
  GOALS,
  type LatencyResult,
  type MemoryResult,
  medianRound,
  type RealtimeReport,
  ratios,
  type ServerResult,
} from './realtime/report.js';
import type { CpuSpent, MemorySample } from './realtime/server-process.js';
import type { DriveResult } from './realtime/transition-driver.js';

const SERVER_MODULE = new URL('./realtime/server-process.ts', import.meta.url);
/**
 * Node's settings for a node with many sockets, as ops/deploy/Dockerfile runs one (docs/operations.md, "Node runtime
 * settings"); the bare server gets the same, so the ratios compare code, not flags.
 */
const SERVER_NODE_FLAGS = ['--max-semi-space-size=32'];
const CLIENT_MODULE = new URL('./realtime/client-process.ts', import.meta.url);
// The share of sockets connected before the first memory sample.
const WARM_SHARE = 0.1;
/** Give up waiting for deliveries after this long without progress. */
const STALL_MS = 15_000;

type Kind = 'bare' | 'slotcast';

interface Run {
  options: RealtimeOptions;
  population: Population;
  clients: Child[];
  jwtSecret: string;
  warmupPlan: PlannedEvent[];
  plan: PlannedEvent[];
  /** Names this run's files. */
  started: number;
}

/** A server under test: its process and the database its bus follows (where the benchmark appends events). */
interface Target {
  kind: Kind;
  server: Child;
  url: string;
  db: Db;
  dbUrl: string;
}

const log = (line: string) => process.stdout.write(`${line}\n`);

/** Waits until one server's sockets together have `expected` events, or nothing arrived for STALL_MS. */
async function waitForDeliveries(clients: Child[], tag: Kind, expected: number): Promise<ClientStats> {
  let lastProgress = Date.now();
  let seen = -1;
  for (let i = 0; i < 100_000; i++) {
    const all = await Promise.all(clients.map((c) => c.call<ClientStats>('stats', tag)));
    const sum: ClientStats = { events: 0, otherEvents: 0, frames: 0, lastAt: 0, dropped: 0 };
    for (const s of all) {
      sum.events += s.events;
      sum.otherEvents += s.otherEvents;
      sum.frames += s.frames;
      sum.dropped += s.dropped;
      sum.lastAt = Math.max(sum.lastAt, s.lastAt);
    }
    if (sum.events >= expected) return sum;
    if (sum.events !== seen) {
      seen = sum.events;
      lastProgress = Date.now();
    } else if (Date.now() - lastProgress > STALL_MS) {
      log(`  ${tag}: stalled at ${sum.events}/${expected} deliveries (${sum.dropped} sockets dropped)`);
      return sum;
    }
    await sleep(50);
  }
  throw new Error('waitForDeliveries: loop bound reached');
}

async function connectAll(run: Run, t: Target, auths: Record<string, unknown>[][]): Promise<ConnectResult> {
  const results = await Promise.all(
    run.clients.map((c, k) =>
      c.call<ConnectResult>(
        'connect',
        { tag: t.kind, url: t.url, auths: auths[k], concurrency: run.options.connectConcurrency },
        180_000,
      ),
    ),
  );
  return {
    connected: results.reduce((n, r) => n + r.connected, 0),
    failed: results.reduce((n, r) => n + r.failed, 0),
    errorSamples: [...new Set(results.flatMap((r) => r.errorSamples))].slice(0, 5),
    elapsedMs: Math.max(...results.map((r) => r.elapsedMs)),
  };
}

/**
 * Connects every identity to the target in steps — a tenth first, so one-time costs (code, pools) fall before the
 * first sample, then three equal steps — and samples its memory after GC at each.
 */
async function connectAndWeigh(run: Run, t: Target): Promise<{ connect: ConnectResult; memory: MemoryResult }> {
  // The bare server is told who a socket is; Slotcast works it out from the token.
  const auths = allIdentities(run.population).map((id) =>
    t.kind === 'bare'
      ? { token: id.token, userId: id.userId, vendorId: id.vendorId }
      : { token: id.token, protocolVersion: PROTOCOL_VERSION },
  );
  const k = run.clients.length;
  const perClient = run.clients.map((_, c) => auths.filter((_, i) => i % k === c));
  const cuts = [WARM_SHARE, WARM_SHARE + (1 - WARM_SHARE) / 3, WARM_SHARE + (2 * (1 - WARM_SHARE)) / 3, 1];
  log(`${t.kind}: connecting ${auths.length} sockets…`);
  const samples: MemorySample[] = [];
  const steps: ConnectResult[] = [];
  let from = 0;
  for (const [i, cut] of cuts.entries()) {
    const step = perClient.map((list) => list.slice(Math.ceil(list.length * from), Math.ceil(list.length * cut)));
    steps.push(await connectAll(run, t, step));
    // Snapshots at the first and the last sample: their difference is what the sockets in between hold.
    const snapshot =
      run.options.heapSnapshots && (i === 0 || i === cuts.length - 1)
        ? fileURLToPath(
            new URL(
              `heap-${t.kind}-${samples.length === 0 ? 'first' : 'last'}-${run.started}.heapsnapshot`,
              RESULTS_DIR,
            ),
          )
        : undefined;
    samples.push(await t.server.call<MemorySample>('memory', { snapshot }, 120_000));
    if (snapshot) log(`${t.kind}: heap snapshot ${snapshot}`);
    from = cut;
  }
  const connect: ConnectResult = {
    connected: steps.reduce((n, r) => n + r.connected, 0),
    failed: steps.reduce((n, r) => n + r.failed, 0),
    errorSamples: [...new Set(steps.flatMap((r) => r.errorSamples))].slice(0, 5),
    elapsedMs: steps.reduce((n, r) => n + r.elapsedMs, 0),
  };
  const memory: MemoryResult = {
    samples,
    heapPerSocket: bytesPerSocket(samples, heapBytes),
    rssPerSocket: bytesPerSocket(samples, rssBytes),
  };
  log(
    `${t.kind}: ${connect.connected} connected in ${(connect.elapsedMs / 1000).toFixed(1)} s; ` +
      `${memory.heapPerSocket.toFixed(0)} B heap, ${memory.rssPerSocket.toFixed(0)} B RSS per socket`,
  );
  return { connect, memory };
}

async function fanOut(run: Run, t: Target, plan: PlannedEvent[]): Promise<FanOutResult> {
  await Promise.all(run.clients.map((c) => c.call('reset')));
  const expected = expectedDeliveries(run.population, plan);
  // Notifications for these events are another node's job here, as the bare server writes none either.
  const hold = t.kind === 'slotcast' ? await holdConsumers(t.dbUrl) : null;
  try {
    // With --profile, each process's share of the round is profiled on its own (servers and clients).
    const stamp = Date.now();
    const profile = (who: string) =>
      run.options.profile
        ? { profile: fileURLToPath(new URL(`round-${t.kind}-${stamp}-${who}.cpuprofile`, RESULTS_DIR)) }
        : null;
    await Promise.all([
      t.server.call('cpuMark', profile('server')),
      ...run.clients.map((c, i) => c.call('cpuMark', profile(`client${i}`))),
    ]);
    const t0 = await appendPlanned(t.db, run.population, plan);
    const got = await waitForDeliveries(run.clients, t.kind, expected);
    const cpu = await t.server.call<CpuSpent>('cpuSince', profile('server'));
    const clientCpuMs = (
      await Promise.all(run.clients.map((c, i) => c.call<number>('cpuSince', profile(`client${i}`))))
    ).reduce((a, b) => a + b, 0);
    const elapsedMs = got.lastAt - t0;
    return {
      events: plan.length,
      expected,
      delivered: got.events,
      frames: got.frames,
      elapsedMs,
      deliveriesPerSec: elapsedMs > 0 ? (got.events * 1000) / elapsedMs : 0,
      server: cpu,
      serverCpuMsPer1k: got.events > 0 ? (cpu.cpuMs * 1000) / got.events : Number.NaN,
      clientCpuMsPer1k: got.events > 0 ? (clientCpuMs * 1000) / got.events : Number.NaN,
      ...(hold ? { heldConsumers: hold.names } : {}),
    };
  } finally {
    await hold?.release();
  }
}

async function latency(run: Run, t: Target): Promise<LatencyResult> {
  const o = run.options;
  await Promise.all(run.clients.map((c) => c.call('reset')));
  await Promise.all(run.clients.map((c) => c.call('record', true)));
  const hold = o.notifier === 'elsewhere' ? await holdConsumers(t.dbUrl) : null;
  let drive: DriveResult;
  let got: ClientStats;
  try {
    drive = await t.server.call<DriveResult>(
      'drive',
      { population: run.population, options: { rate: o.rate, warmupMs: 1000, measureMs: o.seconds * 1000 } },
      (o.seconds + 120) * 1000,
    );
    got = await waitForDeliveries(run.clients, t.kind, drive.expectedDeliveries);
  } finally {
    await hold?.release();
  }
  const samples = await Promise.all(run.clients.map((c) => c.call<LatencySamples>('samples')));
  await Promise.all(run.clients.map((c) => c.call('record', false)));
  const measured: number[] = [];
  for (const s of samples) {
    for (let i = 0; i < s.latencyMs.length; i++) {
      if (s.occurredAt[i]! >= drive.measureFrom) measured.push(s.latencyMs[i]!);
    }
  }
  return {
    notifier: o.notifier,
    drive,
    expected: drive.expectedDeliveries,
    delivered: got.events,
    notificationEvents: got.otherEvents,
    deliveries: summarize(measured, o.seconds * 1000),
  };
}

async function startTarget(kind: Kind, run: Run, dbUrl: string, db: Db): Promise<Target> {
  // One file per thread (tsx runs its loader in a worker); the main thread's is the large one.
  const profileDir = fileURLToPath(new URL(`profile-${kind}-${Date.now()}/`, RESULTS_DIR));
  const profile = run.options.profile ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  if (run.options.profile) await mkdir(profileDir, { recursive: true });
  const { child, info } = await Child.start<{ url: string }>(
    `${kind} server`,
    SERVER_MODULE,
    [kind],
    {
      DATABASE_URL: dbUrl,
      JWT_SECRET: run.jwtSecret,
      WORKERS_THREAD: WORKERS_THREAD_OF[run.options.notifier],
      // Slotcast's drive (b) is profiled on its own as well, into the same folder.
      ...(run.options.profile ? { DRIVE_PROFILE_DIR: profileDir } : {}),
    },
    [...SERVER_NODE_FLAGS, ...profile],
  );
  return { kind, server: child, url: info.url, db, dbUrl };
}

/**
 * Both servers stay up for the whole run, each with its own database (so neither's bus sees the other's events) and
 * its own copy of every socket; fan-out rounds alternate between them, so a slow spell of the machine (this is
 * shared hardware) falls on both alike.
 */
async function measure(
  run: Run,
  bare: Target,
  slotcast: Target,
): Promise<{ bare: ServerResult; slotcast: ServerResult }> {
  const weighed = { bare: await connectAndWeigh(run, bare), slotcast: await connectAndWeigh(run, slotcast) };
  const rounds: Record<Kind, FanOutResult[]> = { bare: [], slotcast: [] };
  for (const t of [bare, slotcast]) if (run.warmupPlan.length) await fanOut(run, t, run.warmupPlan);
  for (let r = 0; r < run.options.rounds; r++) {
    for (const t of r % 2 ? [slotcast, bare] : [bare, slotcast]) {
      const f = await fanOut(run, t, run.plan);
      rounds[t.kind].push(f);
      log(
        `${t.kind}: round ${r + 1}: ${f.delivered}/${f.expected} deliveries in ${(f.elapsedMs / 1000).toFixed(2)} s = ` +
          `${f.deliveriesPerSec.toFixed(0)}/s in ${f.frames} frames`,
      );
    }
  }
  log(`slotcast: ${run.options.rate} transitions/s for ${run.options.seconds} s (+1 s warm-up)…`);
  const lat = await latency(run, slotcast);
  log(
    `slotcast: commit→screen p50 ${lat.deliveries.p50Ms.toFixed(1)} ms, p99 ${lat.deliveries.p99Ms.toFixed(1)} ms ` +
      `at ${lat.drive.achievedRate.toFixed(0)} commits/s`,
  );
  const result = (kind: Kind, latency: LatencyResult | null): ServerResult => ({
    ...weighed[kind],
    fanOut: rounds[kind],
    fanOutMedian: medianRound(rounds[kind]),
    latency,
  });
  return { bare: result('bare', null), slotcast: result('slotcast', lat) };
}

async function main(): Promise<number> {
  const commandLine = parseCommandLine(parseOptions, USAGE);
  if ('exitCode' in commandLine) return commandLine.exitCode;
  const { options } = commandLine;
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    process.stderr.write('interrupted: stopping the servers and clients, then dropping the database\n');
    void killAll();
  };
  const stopListening = onInterrupt(onSignal);

  const metadata = runMetadata();
  const background = await checkBackgroundLoad();
  const scratch = await createScratchDatabase(options.databaseUrl, 'slotcast_bench_rt');
  const bareScratch = await createScratchDatabase(options.databaseUrl, 'slotcast_bench_rt_bare');
  log(`scratch databases ${scratch.name} and ${bareScratch.name} on ${redactUrl(options.databaseUrl)}`);
  const db = await openPostgres(scratch.url, { poolSize: 8 });
  const bareDb = await openPostgres(bareScratch.url, { poolSize: 2 });
  const clients: Child[] = [];
  const servers: Target[] = [];
  try {
    await migrate(db);
    await migrate(bareDb);
    const [{ version: postgres } = { version: 'unknown' }] = await db.query<{ version: string }>('SELECT version()');
    const jwtSecret = randomBytes(32).toString('base64url');
    const seeding = Date.now();
    const population = await seedPopulation(db, { clients: options.clients, vendors: options.vendors, jwtSecret });
    log(
      `seeded ${options.clients} accounts with sessions and tokens in ${((Date.now() - seeding) / 1000).toFixed(1)} s`,
    );
    for (let k = 0; k < options.clientProcesses; k++) {
      clients.push((await Child.start(`client ${k + 1}`, CLIENT_MODULE)).child);
    }
    const run: Run = {
      options,
      population,
      clients,
      jwtSecret,
      warmupPlan: planEvents(population, options.warmupEvents, 2),
      plan: planEvents(population, options.events, 1),
      started: Date.now(),
    };
    if (options.heapSnapshots) await mkdir(RESULTS_DIR, { recursive: true });
    const bareTarget = await startTarget('bare', run, bareScratch.url, bareDb);
    servers.push(bareTarget);
    const slotcastTarget = await startTarget('slotcast', run, scratch.url, db);
    servers.push(slotcastTarget);
    const { bare, slotcast } = await measure(run, bareTarget, slotcastTarget);

    const { databaseUrl: _, ...shown } = options;
    const report: RealtimeReport = {
      benchmark: 'realtime',
      metadata: { ...metadata, postgres, backgroundCpuBusy: background },
      options: shown,
      bare,
      slotcast,
      ratio: ratios(slotcast, bare),
      goals: GOALS,
    };
    log(`\n${formatMetadata(report)}\n\n${formatReport(report)}\n`);
    if (interrupted) {
      log('interrupted: no result file written');
      return 130;
    }
    log(`wrote ${await writeResultFile('realtime', report.metadata.date, report)}`);
    const incomplete = [bare, slotcast].some(
      (s) =>
        s.connect.failed > 0 ||
        s.fanOut.some((f) => f.delivered < f.expected) ||
        (s.latency && s.latency.delivered < s.latency.expected),
    );
    return incomplete ? 1 : 0;
  } finally {
    await Promise.all(clients.map((c) => c.call('disconnect', null, 10_000).catch(() => {})));
    await Promise.all(servers.map((t) => t.server.call('close', null, 30_000).catch(() => {})));
    await Promise.all([...servers.map((t) => t.server.kill()), ...clients.map((c) => c.kill())]);
    await killAll();
    await db.close();
    await bareDb.close();
    await scratch.drop();
    await bareScratch.drop();
    stopListening();
  }
}

runMain(main, killAll);
