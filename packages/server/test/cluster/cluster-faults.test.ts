import type { Booking, EventEnvelope, PresenceResponse } from '@slotcast/protocol';
import pino from 'pino';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AmqpConnection } from '../../src/bus/amqp-connection.js';
import { consumeDurable } from '../../src/bus/amqp-durable-consumer.js';
import { noBusMetrics } from '../../src/bus/bus-metrics.js';
import type { DurableSubscription } from '../../src/bus/durable.js';
import type { Db } from '../../src/store/db.js';
import { latestEventId, readAfter } from '../../src/store/event-log.js';
import { migrate } from '../../src/store/migrate.js';
import { openPostgres } from '../../src/store/postgres.js';
import type { TestServer } from '../support/server.js';
import { api, buildWorld, login, slotAt, type World } from '../support/world.js';
import { killAllStarted, type NodeProcess, startCluster } from './support/cluster.js';
import {
  freePort,
  PrivatePostgres,
  PrivateRabbit,
  PrivateRedis,
  scratchDir,
  sleep,
  waitFor,
} from './support/services.js';
import { ResilientClient, settle, startWriter, type Viewer } from './support/traffic.js';

const missing = inject('clusterMissing');
const RELAY_LOCK = 7_263_002;

describe.skipIf(missing.length > 0)('a 3-node cluster behind HAProxy', () => {
  let pgServer: PrivatePostgres;
  let redis: PrivateRedis;
  let rabbit: PrivateRabbit;
  let cluster: Awaited<ReturnType<typeof startCluster>>;
  let db: Db;
  let w: World;
  let clients: ResilientClient[] = [];
  let durable: DurableSubscription;
  let durableConn: AmqpConnection;
  const handled = new Map<number, number>();
  let firstEvent = 0;
  let firstDay = 2;

  const lb = () => cluster.lb.url;
  const as = (url: string) => ({ slotcast: { db }, url }) as unknown as TestServer;
  const viewers = (): Viewer[] => [
    { party: w.admin, role: 'admin', vendorId: null },
    { party: w.a.staff, role: 'staff', vendorId: w.a.vendor.id },
    { party: w.alice, role: 'customer', vendorId: null },
  ];

  /** Runs `fault` while a writer commits booking changes; then every client must hold exactly the log's events. */
  async function underLoad(fault: () => Promise<void>, opts: { minCreated?: number } = {}) {
    const writer = startWriter(lb(), { customers: [w.alice, w.bob], vendors: [w.a, w.b] }, { firstDay });
    firstDay += 30;
    await waitFor('the writer to get going', async () => writer.stats.created >= 5, 20_000);
    await fault();
    const before = writer.stats.created;
    await waitFor(
      'writes to succeed again',
      async () => writer.stats.created >= before + (opts.minCreated ?? 5),
      30_000,
    );
    const stats = await writer.stop();
    await waitFor('every client to be connected', async () => clients.every((c) => c.socket.connected), 20_000);
    for (const c of clients) {
      const r = await settle(db, c, firstEvent);
      expect({ role: c.viewer.role, missing: r.expected.filter((id) => !new Set(r.got).has(id)) }).toEqual({
        role: c.viewer.role,
        missing: [],
      });
      expect(r.got).toEqual(r.expected);
      expect(r.duplicates).toBe(0);
      expect(r.resyncs).toBe(0);
    }
    return stats;
  }

  const relayNode = async (): Promise<string | null> => {
    const [row] = await db.query<{ application_name: string }>(
      `SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.objid = $1 AND l.granted`,
      [RELAY_LOCK],
    );
    return row?.application_name.replace('slotcast-relay ', '') ?? null;
  };
  const unpublished = async () =>
    Number((await db.query<{ n: number }>('SELECT count(*)::int8 AS n FROM events WHERE published_at IS NULL'))[0]!.n);
  const nodeById = (id: string) => cluster.nodes.find((n) => n.id === id)!;
  /** `slotcast_dependency_up{dependency="redis"}` as each node's /metrics says it now (NaN where it is missing). */
  const redisUp = () =>
    Promise.all(
      cluster.nodes.map(async (n) => {
        const text = await (await fetch(`${n.url}/metrics`)).text();
        return Number(/^slotcast_dependency_up\{dependency="redis"\} (\d+)$/m.exec(text)?.[1] ?? Number.NaN);
      }),
    );
  const presence = async () =>
    (await api<PresenceResponse>(as(lb()), 'GET', '/admin/presence', { token: w.admin.token })).body;

  beforeAll(async () => {
    const logDir = scratchDir('cluster');
    pgServer = new PrivatePostgres(await freePort());
    redis = new PrivateRedis(await freePort());
    rabbit = new PrivateRabbit(await freePort(), await freePort(), await freePort());
    await pgServer.drop();
    await Promise.all([pgServer.create(), redis.start(), rabbit.start()]);
    const admin = await openPostgres(pgServer.url());
    await admin.query('CREATE DATABASE slotcast');
    await admin.close();
    db = await openPostgres(pgServer.url('slotcast'), { poolSize: 4 });
    await migrate(db);
    cluster = await startCluster(
      3,
      { DATABASE_URL: pgServer.url('slotcast'), REDIS_URL: redis.url, AMQP_URL: rabbit.url, DATABASE_POOL_SIZE: '8' },
      logDir,
    );
    w = await buildWorld(as(lb()));

    // A durable consumer in this process, as the notifications worker would be: it must see every event.
    durableConn = new AmqpConnection(rabbit.url, {
      logger: pino({ level: 'silent' }),
      metrics: noBusMetrics,
      name: 'test',
    });
    durable = await consumeDurable(
      { amqp: durableConn, db, logger: pino({ level: 'silent' }), metrics: noBusMetrics },
      'cluster-test',
      async (events) => {
        for (const e of events) handled.set(e.envelope.id, (handled.get(e.envelope.id) ?? 0) + 1);
      },
      { retryDelaysMs: [500, 1000, 2000, 4000, 8000, 16000] },
    );
    durableConn.start();
    await waitFor('the durable consumer', async () => durableConn.connected, 60_000);
    // Its queue exists from here on: every event after this point must reach it.
    await sleep(300);
    firstEvent = await latestEventId(db);

    // Two clients per role, through the load balancer: leastconn spreads them over the nodes.
    clients = viewers().flatMap((v) => [
      new ResilientClient(lb(), v, firstEvent),
      new ResilientClient(lb(), v, firstEvent),
    ]);
    await Promise.all(clients.map((c) => c.connected()));
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await durable?.stop();
    await durableConn?.stop();
    await db?.close().catch(() => {});
    await cluster?.stop();
    await killAllStarted();
    await Promise.all([redis?.stop(), rabbit?.stop(), pgServer?.drop()]);
  });

  it('delivers to a client on node 1 the change of a booking made through node 3', async () => {
    const [n1, , n3] = cluster.nodes as [NodeProcess, NodeProcess, NodeProcess];
    const socket = io(n1.url, { transports: ['websocket'], auth: { token: w.a.staff.token }, forceNew: true });
    const got: EventEnvelope[] = [];
    socket.on('events', (batch) => got.push(...batch));
    try {
      await waitFor('socket on node 1', async () => socket.connected);
      const created = await api<Booking>(as(n3.url), 'POST', '/bookings', {
        token: w.alice.token,
        body: { resourceId: w.a.resource.id, serviceId: w.a.service.id, startAt: slotAt(1, 3) },
      });
      expect(created.status).toBe(201);
      const confirmed = await api<Booking>(as(n3.url), 'POST', `/bookings/${created.body.id}/confirm`, {
        token: w.a.staff.token,
        body: { version: 1 },
      });
      expect(confirmed.status).toBe(200);
      await waitFor('the confirmation on node 1', async () => got.some((e) => e.type === 'booking.confirmed'), 10_000);
      // (The staff member may also get a private notification event: only the booking's events matter here.)
      expect(got.filter((e) => e.type.startsWith('booking.')).map((e) => e.type)).toEqual([
        'booking.requested',
        'booking.confirmed',
      ]);
    } finally {
      socket.disconnect();
    }
  });

  it('counts every socket of the cluster, by role and by node, for admins only', async () => {
    const p = await waitFor('presence to count the clients', async () => {
      const body = await presence();
      if (process.env.CLUSTER_DEBUG) console.log(JSON.stringify(body));
      return body.total === clients.length ? body : null;
    });
    expect(p.byRole).toEqual({ admin: 2, staff: 2, customer: 2 });
    expect(p.byNode.reduce((n, x) => n + x.total, 0)).toBe(clients.length);
    expect(p.byNode.every((x) => ['node1', 'node2', 'node3'].includes(x.node))).toBe(true);
    const refused = await api(as(lb()), 'GET', '/admin/presence', { token: w.alice.token });
    expect(refused.status).toBe(403);
  });

  it('keeps a long-polling session on one node through HAProxy’s sticky cookie', async () => {
    // Without stickiness the polling requests of one session would land on nodes that do not know its sid.
    const socket = io(lb(), {
      transports: ['polling'],
      upgrade: false,
      withCredentials: true,
      auth: { token: w.a.staff.token },
      forceNew: true,
      reconnection: false,
    });
    const got: EventEnvelope[] = [];
    socket.on('events', (batch) => got.push(...batch));
    try {
      await waitFor('polling socket', async () => socket.connected);
      for (let i = 0; i < 3; i++) {
        const res = await api<Booking>(as(lb()), 'POST', '/bookings', {
          token: w.alice.token,
          body: { resourceId: w.a.resource2.id, serviceId: w.a.service.id, startAt: slotAt(1, 5 + i) },
        });
        expect(res.status).toBe(201);
      }
      await waitFor(
        'three events over polling',
        async () => got.filter((e) => e.type === 'booking.requested').length === 3,
      );
      expect(socket.io.engine.transport.name).toBe('polling');
      expect(socket.connected).toBe(true);
    } finally {
      socket.disconnect();
    }
  });

  it('closes the sockets of a session signed out on another node', async () => {
    const [n1, n2] = cluster.nodes as [NodeProcess, NodeProcess];
    const s = await login(as(n2.url), 'bob@test.test');
    const socket = io(n1.url, {
      transports: ['websocket'],
      auth: { token: s.token },
      forceNew: true,
      reconnection: false,
    });
    await waitFor('socket on node 1', async () => socket.connected);
    const closing = new Promise<{ code: string }>((resolve) => socket.once('closing', resolve));
    await api(as(n2.url), 'POST', '/auth/logout', { body: { refreshToken: s.refreshToken } });
    expect((await closing).code).toBe('SESSION_REVOKED');
    await waitFor('the socket to close', async () => socket.disconnected, 5000);
  });

  it('moves the clients of a killed node to the others, each ending with every event exactly once', async () => {
    let victim: NodeProcess | null = null;
    await underLoad(async () => {
      const busiest = [...(await presence()).byNode].sort((a, b) => b.total - a.total)[0]!;
      expect(busiest.total).toBeGreaterThan(0);
      victim = nodeById(busiest.node);
      const disconnectsBefore = clients.reduce((n, c) => n + c.disconnects, 0);
      await victim.kill();
      await waitFor(
        'its clients to notice',
        async () => clients.reduce((n, c) => n + c.disconnects, 0) > disconnectsBefore,
      );
      await sleep(1500);
    });
    expect((await presence()).byNode.find((n) => n.node === victim!.id)).toBeUndefined();
    await victim!.start();
  });

  it('loses no event while Redis restarts, and every node reports it down meanwhile', async () => {
    await underLoad(async () => {
      await redis.stop();
      // After the adapter's 15 s grace, as /readyz sees it.
      await waitFor('every node to report Redis down', async () => (await redisUp()).every((up) => up === 0), 30_000);
      await redis.start();
      await waitFor('every node to report Redis up', async () => (await redisUp()).every((up) => up === 1), 15_000);
    });
    await waitFor('presence across nodes again', async () => (await presence()).total === clients.length, 15_000);
  });

  it('holds events in the outbox while RabbitMQ is away and delivers them when it returns', async () => {
    await underLoad(async () => {
      await rabbit.pause();
      // Commits go on; the relay cannot publish, so the outbox fills.
      await waitFor('events to wait in the outbox', async () => (await unpublished()) > 5, 20_000);
      await rabbit.resume();
    });
    await waitFor('the outbox to empty', async () => (await unpublished()) === 0, 20_000);
  });

  it('hands the relay to another node when the relay’s node dies', async () => {
    const before = await waitFor('a relay', relayNode, 10_000);
    let after: string | null = null;
    await underLoad(async () => {
      await nodeById(before).kill();
      after = await waitFor('another relay', async () => {
        const r = await relayNode();
        return r && r !== before ? r : null;
      });
    });
    expect(after).not.toBe(before);
    await waitFor('the outbox to empty', async () => (await unpublished()) === 0, 20_000);
    await nodeById(before).start();
  });

  it('answers 503 with Retry-After while PostgreSQL is down, keeps sockets up, and resumes when it returns', async () => {
    const stats = await underLoad(
      async () => {
        const disconnects = clients.reduce((n, c) => n + c.disconnects, 0);
        await pgServer.stop();
        const res = await waitFor('a 503', async () => {
          const r = await fetch(`${lb()}/api/v1/bookings`, { headers: { authorization: `Bearer ${w.alice.token}` } });
          return r.status === 503 ? r : null;
        });
        expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
        await sleep(4000);
        expect(clients.every((c) => c.socket.connected)).toBe(true);
        expect(clients.reduce((n, c) => n + c.disconnects, 0)).toBe(disconnects);
        await pgServer.start();
      },
      { minCreated: 10 },
    );
    expect(stats.unavailable).toBeGreaterThan(0);
    expect(stats.unavailableWithoutRetryAfter).toBe(0);
  });

  it('gave the durable consumer every event of the run, through every fault', async () => {
    const all = (await readAfter(db, firstEvent, 100_000)).map((e) => e.envelope.id);
    await waitFor('the durable consumer to catch up', async () => all.every((id) => handled.has(id)), 30_000, 200);
    expect(all.filter((id) => !handled.has(id))).toEqual([]);
    // At least once: a repeat happens only for a message in flight when a fault hit it (its node killed, the broker or
    // the database gone before the receipt was written) — a few per fault, never a replay of the run. Skipping
    // redeliveries whose receipt exists is asserted in amqp-bus.test.ts.
    const repeated = [...handled].filter(([, n]) => n > 1).length;
    expect(repeated).toBeLessThanOrEqual(Math.max(5, Math.ceil(all.length * 0.05)));
  });
});
