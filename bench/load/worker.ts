/**
 * One load generator process: a share of the simulated users, each with its own socket (and HTTP pool per source
 * address), driven by the orchestrator (bench/load.ts) over IPC. Every loop here is bounded by a count and a deadline.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { API_PREFIX } from '@slotcast/protocol';
import { serveRpc } from '../realtime/child-rpc.js';
import { seededRandom } from '../realtime/fan-out-plan.js';
import { BookingFlows, type FlowName } from './booking-flows.js';
import type { ClientLedger } from './delivery-ledger.js';
import { HourPlan, type PlanResource } from './hour-plan.js';
import { LoadHttp } from './load-http.js';
import { loopbackAddresses } from './source-addresses.js';
import { type UserSpec, VirtualUser } from './virtual-user.js';
import { type Snapshot, WorkerCounters } from './worker-counters.js';

export interface WorkerSetup {
  worker: number;
  workers: number;
  urls: string[];
  serverKind: 'slotcast' | 'bare';
  users: UserSpec[];
  sourceAddresses: string[];
  vendors: { id: string; serviceId: string; resourceIds: string[] }[];
  firstSlotMs: number;
  seed: number;
  maxIdsPerUser: number;
}

export interface ConnectParams {
  ratePerSec: number;
  maxInFlight: number;
  deadline: number;
  /** Connect only the first `limit` users (the ramp can be split in steps). */
  limit?: number;
}

export interface ConnectOutcome {
  live: number;
  failed: number;
  notStarted: number;
  startedAt: number;
  /** Wall-clock ms the last socket went live. */
  lastLiveAt: number;
}

export interface ActionParams {
  flow: FlowName;
  ratePerSec: number;
  durationMs: number;
  maxInFlight: number;
}

export interface ActionOutcome {
  attempted: number;
  completed: number;
  failed: number;
  /** Steps started more than 50 ms behind their schedule (the generator or the server fell behind). */
  lateStarts: number;
  errorSamples: string[];
}

export interface FloodParams {
  share: number;
  ratePerSec: number;
  durationMs: number;
}

const counters = new WorkerCounters();
const http = new LoadHttp(counters);
let setup: WorkerSetup | null = null;
let users: VirtualUser[] = [];

const need = (): WorkerSetup => {
  if (!setup) throw new Error('setup first');
  return setup;
};

async function connectUsers(list: readonly VirtualUser[], p: ConnectParams): Promise<ConnectOutcome> {
  const startedAt = Date.now();
  const t0 = performance.now();
  let started = 0;
  let inFlight = 0;
  const outcomes: Promise<boolean>[] = [];
  // Open loop at the worker's share of the ramp, with a cap on handshakes in flight.
  for (let i = 0; i < 10_000_000 && started < list.length && Date.now() < p.deadline; i++) {
    const due = Math.min(list.length, Math.floor(((performance.now() - t0) * p.ratePerSec) / 1000) + 1);
    while (started < due && inFlight < p.maxInFlight) {
      inFlight++;
      outcomes.push(
        list[started++]!.connect(p.deadline).then((ok) => {
          inFlight--;
          return ok;
        }),
      );
    }
    await sleep(5);
  }
  const results = await Promise.all(outcomes);
  const live = results.filter(Boolean).length;
  return {
    live,
    failed: results.length - live,
    notStarted: list.length - started,
    startedAt,
    lastLiveAt: counters.lastLiveAt,
  };
}

async function reconnectUsers(list: readonly VirtualUser[], deadline: number): Promise<ConnectOutcome> {
  const startedAt = Date.now();
  const results = await Promise.all(list.map((u) => u.reconnect(deadline)));
  const live = results.filter(Boolean).length;
  return { live, failed: results.length - live, notStarted: 0, startedAt, lastLiveAt: counters.lastLiveAt };
}

function flows(flow: FlowName): BookingFlows {
  const s = need();
  const customers = users.filter((u) => u.spec.role === 'customer');
  const staffByVendor = new Map<string, VirtualUser[]>();
  for (const u of users) {
    if (u.spec.role !== 'staff' || !u.spec.vendorId) continue;
    const list = staffByVendor.get(u.spec.vendorId) ?? [];
    list.push(u);
    staffByVendor.set(u.spec.vendorId, list);
  }
  const vendors = flow === 'staff' ? s.vendors.filter((v) => staffByVendor.has(v.id)) : s.vendors;
  const resources: PlanResource[] = vendors.flatMap((v) =>
    v.resourceIds.map((resourceId) => ({ resourceId, vendorId: v.id, serviceId: v.serviceId })),
  );
  if (!customers.length || !resources.length)
    throw new Error(`worker ${s.worker}: no customers or vendors for ${flow}`);
  return new BookingFlows({
    flow,
    http,
    plan: new HourPlan(resources, s.firstSlotMs, s.worker, s.workers),
    customers,
    staffByVendor,
    counters,
    random: seededRandom(s.seed * 1000 + s.worker),
  });
}

async function runActions(p: ActionParams): Promise<ActionOutcome> {
  const f = flows(p.flow);
  const out: ActionOutcome = { attempted: 0, completed: 0, failed: 0, lateStarts: 0, errorSamples: [] };
  let inFlight = 0;
  const t0 = performance.now();
  const end = t0 + p.durationMs;
  for (let now = t0, i = 0; now < end && i < 10_000_000; now = performance.now(), i++) {
    const due = Math.floor(((now - t0) * p.ratePerSec) / 1000);
    while (out.attempted < due && inFlight < p.maxInFlight) {
      // Step k is due once (k + 1) / rate seconds have passed.
      if (now - (t0 + ((out.attempted + 1) * 1000) / p.ratePerSec) > 50) out.lateStarts++;
      out.attempted++;
      inFlight++;
      f.step()
        .then(
          () => out.completed++,
          (err: Error) => {
            out.failed++;
            if (out.errorSamples.length < 5 && !out.errorSamples.includes(err.message))
              out.errorSamples.push(err.message);
          },
        )
        .finally(() => inFlight--);
    }
    await sleep(2);
  }
  for (let i = 0; i < 15_000 && inFlight > 0; i++) await sleep(2);
  return out;
}

async function runFlood(p: FloodParams): Promise<{ flooders: number }> {
  const s = need();
  const flooders = users.slice(0, Math.ceil(users.length * p.share)).filter((u) => u.live);
  const intervalMs = 1000 / p.ratePerSec;
  const end = Date.now() + p.durationMs;
  // Reads come from one address of their own, as from one abusive client, and one at a time per flooder: a flooder
  // waits for its answer, so the time measured is the server's, not a queue in this process.
  const [floodAddress] = loopbackAddresses(1, 10);
  const reading = new Set<VirtualUser>();
  const timers = flooders.map((u, k) =>
    setInterval(() => {
      if (Date.now() >= end) return;
      const v = s.vendors[k % s.vendors.length]!;
      const resourceId = v.resourceIds[0]!;
      u.socket?.timeout(5000).emit('follow', { kind: 'resource', id: resourceId }, (err, ack) => {
        if (err) counters.error('follow:timeout');
        else if (ack.ok) counters.counts.floodAccepted++;
        else {
          counters.counts.floodRejected++;
          counters.error(`follow:${ack.error.code}`);
        }
      });
      if (reading.has(u)) return;
      reading.add(u);
      const day = new Date(s.firstSlotMs).toISOString().slice(0, 10);
      void http
        .request(
          u.ctx.url,
          'GET',
          `${API_PREFIX}/resources/${resourceId}/availability?serviceId=${v.serviceId}&from=${day}&to=${day}`,
          { localAddress: floodAddress! },
        )
        .catch(() => {})
        .finally(() => reading.delete(u));
    }, intervalMs),
  );
  await sleep(p.durationMs);
  for (const t of timers) clearInterval(t);
  return { flooders: flooders.length };
}

serveRpc({
  setup(p: WorkerSetup) {
    setup = p;
    users = p.users.map(
      (spec) =>
        new VirtualUser(spec, {
          url: p.urls[spec.index % p.urls.length]!,
          localAddress: p.sourceAddresses[spec.index % p.sourceAddresses.length]!,
          serverKind: p.serverKind,
          counters,
          maxIds: p.maxIdsPerUser,
        }),
    );
    return { users: users.length };
  },
  /** Connects the first `limit` users (all by default) that are not connected or connecting yet. */
  connect: (p: ConnectParams) =>
    connectUsers(
      users.slice(0, p.limit ?? users.length).filter((u) => !u.active),
      p,
    ),
  /** Every connected user closes at once, keeping its cursor (a network blip, a lost node). */
  async drop() {
    let dropped = 0;
    for (const u of users) {
      if (u.socket) dropped++;
      u.close();
    }
    await sleep(200);
    return { dropped };
  },
  /** Every user that was ever live comes back with its cursor, as after losing its server (VirtualUser.reconnect). */
  reconnect: (p: { deadline: number }) =>
    reconnectUsers(
      users.filter((u) => u.from !== null),
      p.deadline,
    ),
  actions: (p: ActionParams) => runActions(p),
  flood: (p: FloodParams) => runFlood(p),
  snapshot: (): Snapshot => counters.snapshot(),
  ledger: (): ClientLedger[] => users.map((u) => u.ledger()),
  async close() {
    for (const u of users) u.close();
    http.close();
    await sleep(300);
    return null;
  },
});

// Exit normally on the parent's SIGTERM, so a `--cpu-prof` profile (BENCH_CPU_PROF_DIR) is written.
process.once('SIGTERM', () => process.exit(0));
