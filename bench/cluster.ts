/**
 * Scale-out: cross-node delivery latency (commit → socket) and events/s of a 3-node cluster (RabbitMQ bus, Redis
 * adapter) against one node, in the same run on the same machine. Each setup gets a scratch database on the local
 * PostgreSQL and, for the scale-out ones, a Redis and a RabbitMQ node of its own; Slotcast nodes are real processes.
 *
 *   npm run bench:cluster [-- --seconds 10 --writers 6 --sockets-per-node 3]
 */
import { access, appendFile, mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { BookingEventData, EventEnvelope } from '@slotcast/protocol';
import { buildWorld, type TestServer, type World } from '@slotcast/server/test-support';
import {
  freePort,
  type NodeEnv,
  NodeProcess,
  PrivateRabbit,
  PrivateRedis,
  scratchDir,
  sleep,
  waitFor,
} from '@slotcast/server/test-support/cluster';
import { io, type Socket } from 'socket.io-client';
import { migrate } from '../packages/server/src/store/migrate.js';
import { openPostgres } from '../packages/server/src/store/postgres.js';
import { type LatencySummary, summarize } from './lib/latency.js';
import { runMetadata } from './lib/run-metadata.js';
import { createScratchDatabase, redactUrl } from './lib/scratch-database.js';
import { fixed, formatTable } from './lib/table.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    writers: { type: 'string', default: '6' },
    'sockets-per-node': { type: 'string', default: '3' },
    'no-docs': { type: 'boolean', default: false },
  },
});
const SECONDS = Number(args.seconds);
const WRITERS = Number(args.writers);
const SOCKETS_PER_NODE = Number(args['sockets-per-node']);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://slotcast:slotcast@127.0.0.1:5432/postgres';

interface Setup {
  name: string;
  nodes: number;
  scaleOut: boolean;
}
const SETUPS: Setup[] = [
  { name: '1 node, embedded bus', nodes: 1, scaleOut: false },
  { name: '1 node, RabbitMQ + Redis', nodes: 1, scaleOut: true },
  { name: '3 nodes, RabbitMQ + Redis', nodes: 3, scaleOut: true },
];

interface Result {
  setup: Setup;
  committed: number;
  /** Booking events committed per second over the measured window. */
  eventsPerSec: number;
  /** Socket deliveries per second (every socket gets every event). */
  deliveriesPerSec: number;
  all: LatencySummary;
  /** Deliveries to a socket on another node than the one that took the write. */
  crossNode: LatencySummary | null;
  missing: number;
}

async function runSetup(setup: Setup): Promise<Result> {
  const db0 = await createScratchDatabase(PG_URL, 'bench_cluster');
  const logDir = scratchDir('bench-cluster');
  const redis = setup.scaleOut ? new PrivateRedis(await freePort()) : null;
  const rabbit = setup.scaleOut ? new PrivateRabbit(await freePort(), await freePort(), await freePort()) : null;
  const nodes: NodeProcess[] = [];
  const sockets: Socket[] = [];
  try {
    await Promise.all([redis?.start(), rabbit?.start()]);
    const db = await openPostgres(db0.url, { poolSize: 4 });
    await migrate(db);
    const env: NodeEnv = { DATABASE_URL: db0.url, REDIS_URL: redis?.url, AMQP_URL: rabbit?.url, LOG_LEVEL: 'warn' };
    for (let i = 1; i <= setup.nodes; i++)
      nodes.push(new NodeProcess(`node${i}`, await freePort(), env, `${logDir}/node${i}.log`));
    await nodes[0]!.start();
    await Promise.all(nodes.slice(1).map((n) => n.start()));
    const w: World = await buildWorld({ slotcast: { db }, url: nodes[0]!.url } as unknown as TestServer);

    // Admin sockets see every booking event; spread evenly, each knows its node.
    const received: { node: number; at: number; e: EventEnvelope }[] = [];
    for (const [ni, node] of nodes.entries()) {
      for (let k = 0; k < SOCKETS_PER_NODE; k++) {
        const s = io(node.url, { transports: ['websocket'], auth: { token: w.admin.token }, forceNew: true });
        s.on('events', (batch: EventEnvelope[]) => {
          const at = Date.now();
          for (const e of batch) if (e.type === 'booking.requested') received.push({ node: ni, at, e });
        });
        sockets.push(s);
      }
    }
    await waitFor('sockets', async () => sockets.every((s) => s.connected), 20_000);

    // Closed loop: each writer books distinct slots through the nodes in turn; the note says which node took it.
    let slot = 0;
    let stop = false;
    let committed = 0;
    const writer = async (wi: number) => {
      for (let n = 0; !stop; n++) {
        const k = slot++;
        const v = k % 2 ? w.a : w.b;
        const customer = k % 4 < 2 ? w.alice : w.bob;
        const r = Math.floor(k / 2) % 2 ? v.resource2 : v.resource;
        const h = Math.floor(k / 4);
        const start = new Date();
        start.setUTCHours(0, 0, 0, 0);
        start.setUTCDate(start.getUTCDate() + 2 + Math.floor(h / 24));
        start.setUTCHours(h % 24);
        const ni = (wi + n) % nodes.length;
        const res = await fetch(`${nodes[ni]!.url}/api/v1/bookings`, {
          method: 'POST',
          headers: { authorization: `Bearer ${customer.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            resourceId: r.id,
            serviceId: v.service.id,
            startAt: start.toISOString(),
            note: `n${ni}`,
          }),
        });
        await res.arrayBuffer();
        if (res.status === 201) committed++;
      }
    };
    // Warm up (JIT, pools, queues), then measure a fresh window.
    let loops = Array.from({ length: WRITERS }, (_, i) => writer(i));
    await sleep(2000);
    stop = true;
    await Promise.all(loops);
    await sleep(500);
    received.length = 0;
    committed = 0;
    stop = false;
    const t0 = Date.now();
    loops = Array.from({ length: WRITERS }, (_, i) => writer(i));
    await sleep(SECONDS * 1000);
    stop = true;
    await Promise.all(loops);
    const elapsed = Date.now() - t0;
    const want = committed * sockets.length;
    await waitFor('deliveries', async () => received.length >= want, 15_000, 50).catch(() => {});
    const window = received.filter((r) => Date.parse(r.e.occurredAt) >= t0);
    const latency = (rs: typeof received) => rs.map((r) => r.at - Date.parse(r.e.occurredAt));
    const cross = window.filter((r) => (r.e.data as BookingEventData).booking.note !== `n${r.node}`);
    await db.close();
    return {
      setup,
      committed,
      eventsPerSec: (committed * 1000) / elapsed,
      deliveriesPerSec: (window.length * 1000) / elapsed,
      all: summarize(latency(window), elapsed),
      crossNode: setup.nodes > 1 ? summarize(latency(cross), elapsed) : null,
      missing: Math.max(0, want - received.length),
    };
  } finally {
    for (const s of sockets) s.disconnect();
    await Promise.all(nodes.map((n) => n.stop()));
    await Promise.all([redis?.stop(), rabbit?.stop()]);
    await db0.drop().catch(() => {});
  }
}

function report(results: Result[]): string {
  const rows = results.map((r) => [
    r.setup.name,
    String(r.committed),
    fixed(r.eventsPerSec, 0),
    fixed(r.deliveriesPerSec, 0),
    fixed(r.all.p50Ms, 1),
    fixed(r.all.p99Ms, 1),
    r.crossNode ? fixed(r.crossNode.p50Ms, 1) : '–',
    r.crossNode ? fixed(r.crossNode.p99Ms, 1) : '–',
    String(r.missing),
  ]);
  const table = formatTable(
    [
      { header: 'setup' },
      { header: 'events', align: 'right' },
      { header: 'events/s', align: 'right' },
      { header: 'deliveries/s', align: 'right' },
      { header: 'p50 ms', align: 'right' },
      { header: 'p99 ms', align: 'right' },
      { header: 'cross-node p50 ms', align: 'right' },
      { header: 'cross-node p99 ms', align: 'right' },
      { header: 'missing', align: 'right' },
    ],
    rows,
  );
  const base = results[0]!;
  const three = results.at(-1)!;
  const ratio = (a: number, b: number) => fixed(a / b, 2);
  const ratios = [
    `3 nodes vs 1 node (embedded): events/s ×${ratio(three.eventsPerSec, base.eventsPerSec)},`,
    `p50 ×${ratio(three.all.p50Ms, base.all.p50Ms)}, p99 ×${ratio(three.all.p99Ms, base.all.p99Ms)};`,
    `cross-node p50 ×${ratio(three.crossNode?.p50Ms ?? Number.NaN, base.all.p50Ms)} of single-node p50.`,
  ].join(' ');
  return `${table}\n\n${ratios}`;
}

async function main() {
  const meta = runMetadata();
  const loadBefore = loadavg()[0]!;
  // Other work on the machine shares the cores with every node and broker: say so beside the figures.
  const busy = (l: number) => l > meta.cpus * 0.5;
  if (busy(loadBefore))
    console.warn(`warning: load average ${loadBefore.toFixed(1)} on ${meta.cpus} cores before start`);
  console.log(
    `bench:cluster — ${SECONDS} s per setup, ${WRITERS} writers, ${SOCKETS_PER_NODE} admin sockets per node, PostgreSQL ${redactUrl(PG_URL)}`,
  );
  const results: Result[] = [];
  for (const setup of SETUPS) {
    console.log(`… ${setup.name}`);
    results.push(await runSetup(setup));
  }
  const loadAfter = loadavg()[0]!;
  const text = report(results);
  console.log(`\n${text}\n`);
  await mkdir(new URL('./results/', import.meta.url), { recursive: true });
  await writeFile(
    new URL(`./results/cluster-${meta.date.replaceAll(':', '-').replace('.', '-')}.json`, import.meta.url),
    JSON.stringify({ meta, options: { SECONDS, WRITERS, SOCKETS_PER_NODE }, results }, null, 2),
  );
  if (!args['no-docs']) {
    const section = [
      `\n## Scale-out: 3 nodes vs 1 (bench:cluster, ${meta.date.slice(0, 10)})\n`,
      `${meta.cpus} × ${meta.cpuModel}, ${meta.totalMemoryGiB} GiB, Node ${meta.node}, commit ${meta.gitCommit ?? '?'}.`,
      `Every node, PostgreSQL, Redis and RabbitMQ share this one machine, so the 3-node figures measure the extra hops`,
      `(relay → broker → each node), not added capacity. ${WRITERS} closed-loop writers, ${SECONDS} s,`,
      `${SOCKETS_PER_NODE} admin sockets per node; latency is commit → socket (event occurredAt to receipt).`,
      `1-minute load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after` +
        (busy(Math.max(loadBefore, loadAfter))
          ? ' — the machine was busy with other work: compare with care.\n'
          : '.\n'),
      text,
      '',
    ].join('\n');
    const doc = new URL('../docs/performance.md', import.meta.url);
    const exists = await access(doc).then(
      () => true,
      () => false,
    );
    await appendFile(doc, exists ? section : `# Performance\n${section}`);
    console.log('appended to docs/performance.md');
  }
}

void main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
