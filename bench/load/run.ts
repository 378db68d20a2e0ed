import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startCpuMeter } from '../lib/cpu-meter.js';
import { fileTimestamp } from '../lib/result-file.js';
import { runMetadata } from '../lib/run-metadata.js';
import type { Identity, Population } from '../lib/seed-accounts.js';
import type { Child } from '../realtime/child-rpc.js';
import { seededRandom } from '../realtime/fan-out-plan.js';
import { seedAccounts } from './accounts.js';
import { renderHtml } from './html-report.js';
import type { LoadOptions } from './options.js';
import { actions, drain, type Log, ledger, measureBaseline, ramp, startWorkers, storm } from './phases.js';
import { checkGoals, type LoadResult, type StormFigures } from './result.js';
import { Session } from './session.js';
import { formatSummary } from './summary.js';
import { openTarget, type SpawnedServer, samplersFor, serverEnv, spawnServers, stopServers } from './target.js';
import { Timeline } from './timeline.js';

export interface RunOutput {
  result: LoadResult;
  files: { json: string; txt: string; html: string };
}

/** Who connects: customers only for a storm (each misses exactly its own events), else everyone, mixed. */
function connecting(o: LoadOptions, p: Population): Identity[] {
  if (o.scenario === 'reconnect-storm') return p.customers.slice(0, o.clients);
  const all = [...p.vendors.flatMap((v) => v.staff), ...p.customers];
  const rnd = seededRandom(o.seed);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, o.clients);
}

function accountsFor(o: LoadOptions): number {
  if (o.scenario !== 'reconnect-storm') return o.clients;
  // Enough staff that seeding's share leaves `clients` customers.
  const staff = Math.max(o.vendors, Math.ceil((o.clients * o.staffShare) / (1 - o.staffShare))) + 1;
  return o.clients + staff;
}

async function writeResult(o: LoadOptions, result: LoadResult): Promise<RunOutput['files']> {
  await mkdir(o.outDir, { recursive: true });
  const base = path.resolve(o.outDir, `load-${result.scenario}-${fileTimestamp(result.metadata.date)}`);
  const files = { json: `${base}.json`, txt: `${base}.txt`, html: `${base}.html` };
  await writeFile(files.json, `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(files.txt, `${formatSummary(result)}\n`);
  await writeFile(files.html, renderHtml(result));
  return files;
}

export async function runLoadTest(o: LoadOptions, log: Log): Promise<RunOutput> {
  const metadata = runMetadata();
  const meter = startCpuMeter();
  await sleep(1000);
  const backgroundCpuBusy = meter().machineBusy;
  if (backgroundCpuBusy > 0.15)
    log(`warning: the machine was ${Math.round(backgroundCpuBusy * 100)}% busy before the run`);

  const t = await openTarget(o, log);
  let servers: SpawnedServer[] = [];
  let workers: Child[] = [];
  let session: Session | null = null;
  try {
    const [{ version: postgres } = { version: 'unknown' }] = await t.db.query<{ version: string }>('SELECT version()');
    const seeding = Date.now();
    const tag = `${metadata.date.replace(/\D/g, '').slice(2, 14)}${Math.floor(Math.random() * 1000)}`;
    const population = await seedAccounts(t.db, {
      accounts: accountsFor(o),
      vendors: o.vendors,
      staffShare: o.staffShare,
      jwtSecret: t.jwtSecret,
      tag,
    });
    const users = connecting(o, population);
    log(
      `seeded ${accountsFor(o)} accounts in ${((Date.now() - seeding) / 1000).toFixed(1)} s; ${users.length} will connect`,
    );

    const baseline = o.baseline ? await measureBaseline(o, t, users, population, log) : null;
    if (o.spawn) {
      servers = await spawnServers(o.serverKind, o.servers, (i) => serverEnv(o, t, i));
      log(`started ${servers.length} ${o.serverKind} server(s): ${servers.map((s) => s.url).join(', ')}`);
    }
    const urls = o.spawn ? servers.map((s) => s.url) : o.urls;
    workers = await startWorkers(o, o.serverKind, urls, users, population);
    const timeline = new Timeline(Date.now());
    session = new Session(timeline, workers, samplersFor(urls, servers));
    session.start();

    await session.enter('ramp');
    const { connect, memory: mem } = await ramp(o, workers, servers, o.serverKind, session, log);
    let transitions = { attempted: 0, completed: 0, failed: 0, lateStarts: 0, errorSamples: [] as string[] };
    let stormFigures: StormFigures | null = null;
    let flooders = 0;
    const measured =
      o.scenario === 'idle'
        ? 'hold'
        : o.scenario === 'reconnect-storm'
          ? 'storm'
          : o.scenario === 'flood'
            ? 'flood'
            : 'load';
    if (o.scenario === 'idle') {
      await session.enter('hold');
      await sleep(o.duration * 1000);
    } else if (o.scenario === 'reconnect-storm') {
      stormFigures = await storm(o, t, population, workers, session, log);
    } else if (o.scenario === 'flood') {
      await session.enter('flood');
      const [a, f] = await Promise.all([
        o.rate > 0 ? actions(o, workers, 'browse-book-cancel') : Promise.resolve(transitions),
        Promise.all(
          workers.map((w) =>
            w.call<{ flooders: number }>(
              'flood',
              { share: o.floodShare, ratePerSec: o.floodRate, durationMs: o.duration * 1000 },
              o.duration * 1000 + 60_000,
            ),
          ),
        ),
      ]);
      transitions = a;
      flooders = f.reduce((n, r) => n + r.flooders, 0);
    } else {
      await session.enter('load');
      log(`${o.scenario}: ${o.rate} transitions/s for ${o.duration} s over ${connect.live} sockets…`);
      transitions = await actions(o, workers, o.scenario);
    }
    const measuredSeconds = (() => {
      const p = session.phases.find((x) => x.name === measured);
      return p ? Math.max(0.001, (Date.now() - timeline.startedAt) / 1000 - p.fromS) : o.duration;
    })();
    await session.enter('drain');
    if (o.serverKind === 'slotcast') await drain(o, t.db, session);
    const led = o.serverKind === 'slotcast' ? await ledger(t.db, workers) : null;
    await session.stop();

    const tl = session.timeline;
    const measuredLatency = tl.phaseHistogram(measured, 'latency');
    const points = tl.points;
    const genCpu = points.map((p) => p.generatorCpuPct);
    const partial: Omit<LoadResult, 'goals'> = {
      benchmark: 'load',
      scenario: o.scenario,
      label: o.label,
      metadata: { ...metadata, postgres, backgroundCpuBusy },
      options: (({ databaseUrl: _d, jwtSecret: _j, ...rest }) => rest)(o),
      target: {
        mode: t.mode,
        urls,
        serverKind: o.serverKind,
        serverEnv: o.spawn
          ? Object.fromEntries(
              Object.entries(serverEnv(o, t, 0)).filter(
                ([k]) => !['JWT_SECRET', 'DATABASE_URL', 'PORT', 'NODE_ID'].includes(k),
              ),
            )
          : {},
      },
      population: {
        accounts: accountsFor(o),
        vendors: population.vendors.length,
        clients: users.length,
        staff: users.filter((u) => u.role === 'staff').length,
        customers: users.filter((u) => u.role === 'customer').length,
      },
      phases: session.phases,
      connect,
      deliveries: {
        delivered: tl.totals.delivered,
        replayed: tl.totals.replayed,
        duplicatesDropped: tl.totals.duplicates,
        perSecMeasured: measuredLatency.count / measuredSeconds,
        latency: tl.histograms.latency.summary(),
        latencyMeasured: measuredLatency.summary(),
        distribution: measuredLatency.distribution(),
      },
      transitions: {
        ...transitions,
        // Over the scheduled window: steps still in flight at its end finish in the phase's tail.
        perSec: tl.totals.transitions / o.duration,
      },
      http: { ok: tl.totals.httpOk, errors: tl.totals.httpErrors, latency: tl.histograms.http.summary() },
      totals: tl.totals,
      errors: tl.errors,
      ledger: led,
      storm: stormFigures,
      flood:
        o.scenario === 'flood'
          ? {
              flooders,
              bystanders: connect.live - flooders,
              followAccepted: tl.totals.floodAccepted,
              followRejected: tl.totals.floodRejected,
              closedForFlooding: tl.errors['closing:RATE_LIMITED'] ?? 0,
              httpRateLimited: tl.errors['http:RATE_LIMITED'] ?? 0,
            }
          : null,
      memory: {
        slotcast: mem,
        baseline,
        heapRatio: mem && baseline ? mem.heapPerSocket / baseline.heapPerSocket : null,
        rssRatio: mem && baseline ? mem.rssPerSocket / baseline.rssPerSocket : null,
      },
      servers: session.serverFigures(),
      generator: {
        workers: workers.length,
        sourceAddresses: o.sourceAddresses,
        meanCpuPct: genCpu.length ? genCpu.reduce((a, b) => a + b, 0) / genCpu.length : 0,
        peakCpuPct: genCpu.length ? Math.max(...genCpu) : 0,
        peakRssMiB: session.peakGeneratorRss / 2 ** 20,
      },
      timeline: points,
    };
    const result: LoadResult = { ...partial, goals: checkGoals(partial) };
    if (session.tickErrors) log(`warning: ${session.tickErrors} samples failed (${session.lastTickError})`);
    return { result, files: await writeResult(o, result) };
  } finally {
    await session?.stop().catch(() => {});
    await Promise.all(workers.map((w) => w.call('close', null, 30_000).catch(() => {})));
    await Promise.all(workers.map((w) => w.kill()));
    await stopServers(servers);
    await t.close();
  }
}
