import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../../packages/server/src/store/db.js';
import { latestEventId } from '../../packages/server/src/store/event-log.js';
import type { Identity, Population } from '../lib/seed-accounts.js';
import { Child } from '../realtime/child-rpc.js';
import { holdConsumers } from '../realtime/consumer-hold.js';
import { appendPlanned, type PlannedEvent } from '../realtime/fan-out-plan.js';
import type { MemorySample } from '../realtime/server-process.js';
import { type ClientLedger, checkDeliveries, type LedgerResult, type LoggedEvent } from './delivery-ledger.js';
import { firstSlotMs } from './hour-plan.js';
import type { LoadOptions } from './options.js';
import type { ConnectFigures, MemoryPerSocket, StormFigures } from './result.js';
import { Session } from './session.js';
import { loopbackAddresses } from './source-addresses.js';
import { type SpawnedServer, samplersFor, spawnServers, stopServers, type Target } from './target.js';
import { Timeline } from './timeline.js';
import type { ActionOutcome, ConnectOutcome, WorkerSetup } from './worker.js';

/** The phases of a load test run, each driving the workers (and spawned servers) through one step. */

const WORKER_MODULE = new URL('./worker.ts', import.meta.url);
const WARM_SHARE = 0.1;
const MAX_IDS_PER_USER = 200_000;
const STORM_STEPS = ['booking.requested', 'booking.confirmed', 'booking.cancelled'] as const;

export type Log = (line: string) => void;

/** Memory of all spawned servers together, after GC; null (and a line in the log) if a server cannot say. */
export async function memory(servers: readonly SpawnedServer[], log: Log): Promise<MemorySample | null> {
  if (!servers.length) return null;
  const all = await Promise.all(servers.map((s) => s.child.call<MemorySample>('memory', null, 120_000))).catch(
    (err: Error) => {
      log(`memory sample failed: ${err.message.split('\n')[0]}`);
      return null;
    },
  );
  if (!all) return null;
  return all.reduce((a, b) => ({
    rss: a.rss + b.rss,
    heapUsed: a.heapUsed + b.heapUsed,
    external: a.external + b.external,
    arrayBuffers: a.arrayBuffers + b.arrayBuffers,
    sockets: a.sockets + b.sockets,
  }));
}

export function perSocket(kind: 'slotcast' | 'bare', before: MemorySample, after: MemorySample): MemoryPerSocket {
  const sockets = after.sockets - before.sockets;
  return {
    kind,
    sockets,
    totalSockets: after.sockets,
    heapPerSocket: (after.heapUsed + after.external - before.heapUsed - before.external) / sockets,
    rssPerSocket: (after.rss - before.rss) / sockets,
    rssBytes: after.rss,
  };
}

/** Forks the workers and hands each its share of the users (user i → worker i mod W). */
export async function startWorkers(
  o: LoadOptions,
  kind: 'slotcast' | 'bare',
  urls: string[],
  users: Identity[],
  p: Population,
): Promise<Child[]> {
  const workers: Child[] = [];
  const sourceAddresses = loopbackAddresses(o.sourceAddresses);
  const slot = firstSlotMs(Date.now());
  for (let k = 0; k < o.workers; k++) {
    const { child } = await Child.start(`worker ${k + 1}`, WORKER_MODULE);
    workers.push(child);
    const setup: WorkerSetup = {
      worker: k,
      workers: o.workers,
      urls,
      serverKind: kind,
      users: users.flatMap((u, index) =>
        index % o.workers === k
          ? [{ index, userId: u.userId, role: u.role, vendorId: u.vendorId, token: u.token }]
          : [],
      ),
      sourceAddresses,
      vendors: p.vendors.map((v) => ({ id: v.id, serviceId: v.serviceId, resourceIds: v.resourceIds })),
      firstSlotMs: slot,
      seed: o.seed,
      maxIdsPerUser: MAX_IDS_PER_USER,
    };
    await child.call('setup', setup, 120_000);
  }
  return workers;
}

/** Opens every socket at the ramp rate; with spawned servers, samples their memory after the first tenth and at the end. */
export async function ramp(
  o: LoadOptions,
  workers: readonly Child[],
  servers: readonly SpawnedServer[],
  kind: 'slotcast' | 'bare',
  session: Session,
  log: Log,
): Promise<{ connect: ConnectFigures; memory: MemoryPerSocket | null }> {
  const deadline = Date.now() + ((o.clients / o.ramp) * 2 + 120) * 1000;
  const step = async (limit?: number) => {
    const t0 = Date.now();
    const outcomes = await Promise.all(
      workers.map((w) =>
        w.call<ConnectOutcome>(
          'connect',
          {
            ratePerSec: o.ramp / workers.length,
            maxInFlight: Math.max(20, Math.ceil(o.ramp / workers.length)),
            deadline,
            limit,
          },
          deadline - Date.now() + 60_000,
        ),
      ),
    );
    return {
      live: outcomes.reduce((n, r) => n + r.live, 0),
      failed: outcomes.reduce((n, r) => n + r.failed + r.notStarted, 0),
      ms: Date.now() - t0,
    };
  };
  const perWorker = Math.ceil(o.clients / workers.length);
  const first = await step(servers.length ? Math.ceil(perWorker * WARM_SHARE) : undefined);
  const before = await memory(servers, log);
  const second = await step();
  const after = await memory(servers, log);
  await session.tick();
  const live = first.live + second.live;
  const elapsedMs = first.ms + second.ms;
  log(`${kind}: ${live} of ${o.clients} sockets live in ${(elapsedMs / 1000).toFixed(1)} s`);
  return {
    connect: {
      attempted: o.clients,
      live,
      failed: first.failed + second.failed,
      elapsedMs,
      achievedRate: elapsedMs > 0 ? (live * 1000) / elapsedMs : 0,
      connectMs: session.timeline.phaseHistogram('ramp', 'connect').summary(),
      liveMs: session.timeline.phaseHistogram('ramp', 'live').summary(),
    },
    memory: before && after && after.sockets > before.sockets ? perSocket(kind, before, after) : null,
  };
}

/** The bare Socket.IO baseline for P4: the same sockets against a bare server, memory only. */
export async function measureBaseline(o: LoadOptions, t: Target, users: Identity[], p: Population, log: Log) {
  log('baseline: bare Socket.IO server…');
  // As many bare servers as Slotcast ones: one process holds at most ~20,000 sockets either way.
  const servers = await spawnServers('bare', o.servers, () => ({ DATABASE_URL: t.dbUrl }));
  let workers: Child[] = [];
  try {
    workers = await startWorkers(
      o,
      'bare',
      servers.map((s) => s.url),
      users,
      p,
    );
    const timeline = new Timeline(Date.now());
    const session = new Session(timeline, workers, samplersFor([], servers));
    await session.enter('ramp');
    const r = await ramp(o, workers, servers, 'bare', session, log);
    await session.stop();
    return r.memory;
  } finally {
    await Promise.all(workers.map((w) => w.call('close', null, 30_000).catch(() => {})));
    await Promise.all(workers.map((w) => w.kill()));
    await stopServers(servers);
  }
}

export async function waitForUnpublished(db: Db, maxMs: number): Promise<void> {
  const end = Date.now() + maxMs;
  for (let i = 0; i < 100_000 && Date.now() < end; i++) {
    const [row] = await db.query<{ n: string | number }>('SELECT count(*) AS n FROM events WHERE published_at IS NULL');
    if (Number(row?.n ?? 0) === 0) return;
    await sleep(250);
  }
}

/** Drops every client, appends `missed` events for each while they are away, then has all reconnect at once. */
export async function storm(
  o: LoadOptions,
  t: Target,
  p: Population,
  workers: readonly Child[],
  session: Session,
  log: Log,
) {
  await session.enter('settle');
  await sleep(2000);
  await session.enter('drop');
  await Promise.all(workers.map((w) => w.call('drop', null, 60_000)));
  const plan: PlannedEvent[] = [];
  for (let m = 0; m < o.missed; m++) {
    for (let c = 0; c < o.clients; c++) {
      plan.push({ vendor: c % p.vendors.length, customer: c, resource: 0, type: STORM_STEPS[m % STORM_STEPS.length]! });
    }
  }
  // Notifications for these events would be more missed events; another node "wrote" them (bench/realtime's hold).
  const hold = await holdConsumers(t.dbUrl);
  const t0 = Date.now();
  try {
    await appendPlanned(t.db, p, plan);
  } finally {
    await hold?.release();
  }
  const appendMs = Date.now() - t0;
  log(
    `storm: ${plan.length} events appended in ${(appendMs / 1000).toFixed(1)} s while ${o.clients} clients were away`,
  );
  // The events happened while the clients were away: let the servers' buses take them in before the storm starts.
  await waitForUnpublished(t.db, 120_000);
  await sleep(1000);
  await session.enter('storm');
  const start = Date.now();
  const deadline = start + o.stormDeadline * 1000;
  const outcomes = await Promise.all(
    workers.map((w) => w.call<ConnectOutcome>('reconnect', { deadline }, o.stormDeadline * 1000 + 60_000)),
  );
  await session.tick();
  const live = outcomes.reduce((n, r) => n + r.live, 0);
  const failed = outcomes.reduce((n, r) => n + r.failed, 0);
  const durationMs = Math.max(...outcomes.map((r) => r.lastLiveAt)) - start;
  log(`storm: ${live} reconnected and replayed, ${failed} failed, in ${(durationMs / 1000).toFixed(1)} s`);
  const figures: StormFigures = {
    clients: o.clients,
    missedEach: o.missed,
    appended: plan.length,
    appendMs,
    durationMs,
    live,
    failed,
    replayed: session.timeline.totals.replayed,
    liveMs: session.timeline.phaseHistogram('storm', 'live').summary(),
  };
  return figures;
}

export async function actions(o: LoadOptions, workers: readonly Child[], flow: 'browse-book-cancel' | 'staff') {
  const outcomes = await Promise.all(
    workers.map((w) =>
      w.call<ActionOutcome>(
        'actions',
        { flow, ratePerSec: o.rate / workers.length, durationMs: o.duration * 1000, maxInFlight: 64 },
        o.duration * 1000 + 120_000,
      ),
    ),
  );
  return {
    attempted: outcomes.reduce((n, r) => n + r.attempted, 0),
    completed: outcomes.reduce((n, r) => n + r.completed, 0),
    failed: outcomes.reduce((n, r) => n + r.failed, 0),
    lateStarts: outcomes.reduce((n, r) => n + r.lateStarts, 0),
    errorSamples: [...new Set(outcomes.flatMap((r) => r.errorSamples))],
  };
}

/** Waits until the log stops growing and deliveries stop arriving for 3 s (bounded by --drain-seconds). */
export async function drain(o: LoadOptions, db: Db, session: Session): Promise<void> {
  const end = Date.now() + o.drainSeconds * 1000;
  let last = '';
  let quietSince = Date.now();
  for (let i = 0; i < 100_000 && Date.now() < end; i++) {
    await session.tick();
    const t = session.timeline.totals;
    const now = `${await latestEventId(db)}/${t.delivered}/${t.replayed}/${t.duplicates}`;
    if (now !== last) {
      last = now;
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= 3000) return;
    await sleep(500);
  }
}

export async function ledger(db: Db, workers: readonly Child[]): Promise<LedgerResult> {
  const through = await latestEventId(db);
  const clients = (await Promise.all(workers.map((w) => w.call<ClientLedger[]>('ledger', null, 120_000)))).flat();
  const froms = clients.map((c) => c.from).filter((f): f is number => f !== null);
  const from = froms.length ? Math.min(...froms) : through;
  const rows = await db.query<{
    id: string | number;
    user_id: string | null;
    vendor_id: string | null;
    customer_id: string | null;
  }>('SELECT id, user_id, vendor_id, customer_id FROM events WHERE id > $1 AND id <= $2', [from, through]);
  const events: LoggedEvent[] = rows.map((r) => ({
    id: Number(r.id),
    userId: r.user_id,
    vendorId: r.vendor_id,
    customerId: r.customer_id,
  }));
  return checkDeliveries(events, clients, through);
}
