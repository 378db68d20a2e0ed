import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKFILL_PAGE } from '../../src/bus/amqp-backfill.js';
import { AmqpBus } from '../../src/bus/amqp-bus.js';
import { deadLetterQueue, durableQueue, EVENTS_EXCHANGE, encodeEvent } from '../../src/bus/amqp-topology.js';
import { type BusCounter, noBusMetrics } from '../../src/bus/bus-metrics.js';
import type { Db } from '../../src/store/db.js';
import { appendEvents, type NewEvent, type StoredEvent } from '../../src/store/event-log.js';
import { migrate } from '../../src/store/migrate.js';
import { openPostgres } from '../../src/store/postgres.js';
import { sleep, waitFor } from './support/services.js';

const run = promisify(execFile);
const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://slotcast:slotcast@127.0.0.1:5432/postgres';
const AMQP_URL = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** The shared PostgreSQL and RabbitMQ (.ci/run starts them); in CI their absence fails, locally it skips loudly. */
async function reachable(): Promise<string | null> {
  try {
    const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
    await c.connect();
    await c.end();
  } catch (err) {
    return `PostgreSQL at ${PG_URL.replace(/:[^:@/]+@/, ':***@')}: ${(err as Error).message}`;
  }
  try {
    const conn = await amqp.connect(AMQP_URL, { timeout: 2000 });
    await conn.close();
  } catch (err) {
    return `RabbitMQ at ${AMQP_URL.replace(/:[^:@/]+@/, ':***@')}: ${(err as Error).message}`;
  }
  return null;
}
const unreachable = await reachable();
if (unreachable && process.env.CI) throw new Error(`The AMQP bus suite needs ${unreachable}; .ci/run starts it.`);
if (unreachable)
  console.warn(`\n${'!'.repeat(78)}\n!! NOT RUN: the AMQP bus suite. ${unreachable}\n${'!'.repeat(78)}\n`);

const event = (i: number): NewEvent => ({
  type: i % 2 ? 'booking.requested' : 'booking.confirmed',
  bookingId: null,
  vendorId: null,
  customerId: null,
  resourceId: null,
  data: { i },
});

describe.skipIf(unreachable !== null)('the RabbitMQ bus', () => {
  // A vhost of its own, so the shared broker's other users (a dev cluster, other runs) never see these events.
  const vhost = `slotcast-test-${randomBytes(4).toString('hex')}`;
  const url = `${AMQP_URL}/${vhost}`;
  const dbName = `slotcast_bus_${randomBytes(4).toString('hex')}`;
  let db: Db;
  let dbUrl: string;
  const buses: AmqpBus[] = [];
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

  const newBus = async (nodeId: string, counts?: Map<string, number>) => {
    const bus = new AmqpBus({
      db,
      databaseUrl: dbUrl,
      amqpUrl: url,
      nodeId,
      logger,
      metrics: counts
        ? {
            count: (c: BusCounter, n = 1, l?: { consumer: string }) =>
              counts.set(`${c}${l ? `:${l.consumer}` : ''}`, (counts.get(`${c}${l ? `:${l.consumer}` : ''}`) ?? 0) + n),
          }
        : noBusMetrics,
      relayLockRetryMs: 200,
      gapCheckMs: 500,
    });
    await bus.start();
    buses.push(bus);
    return bus;
  };
  const commit = (events: NewEvent[]) => db.transaction((tx) => appendEvents(tx, events));

  beforeAll(async () => {
    await run('rabbitmqctl', ['add_vhost', vhost]);
    await run('rabbitmqctl', ['set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*']);
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const u = new URL(PG_URL);
    u.pathname = `/${dbName}`;
    dbUrl = u.toString();
    db = await openPostgres(dbUrl, { poolSize: 8 });
    await migrate(db);
  });

  afterAll(async () => {
    await Promise.all(buses.map((b) => b.stop()));
    await db?.close();
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
    await run('rabbitmqctl', ['delete_vhost', vhost]).catch(() => {});
  });

  it('relays committed events once, in order and without gaps, to every node — holes from rollbacks included', async () => {
    const [a, b] = [await newBus('a'), await newBus('b')];
    await waitFor('a relay', async () => a.isRelay || b.isRelay, 10_000);
    const seen: Record<string, number[]> = { a: [], b: [] };
    a.subscribe((batch) => seen.a!.push(...batch.map((e) => e.envelope.id)));
    b.subscribe((batch) => seen.b!.push(...batch.map((e) => e.envelope.id)));
    const committed: StoredEvent[] = [];
    for (let i = 0; i < 40; i++) {
      if (i % 10 === 5) {
        // Takes ids and rolls back: a hole the consumers must not wait for.
        await db
          .transaction(async (tx) => {
            await appendEvents(tx, [event(i)]);
            throw new Error('rollback');
          })
          .catch(() => {});
      }
      committed.push(...(await commit([event(i), event(i + 1)])));
    }
    // Sentinel: one more event, committed last. Delivery is in id order, so once both nodes have it, a duplicate
    // or a rolled-back id would already have shown up before it.
    const [sentinel] = await commit([event(100)]);
    const ids = [...committed, sentinel!].map((e) => e.envelope.id);
    await waitFor(
      'the sentinel on both nodes',
      async () => seen.a!.includes(sentinel!.envelope.id) && seen.b!.includes(sentinel!.envelope.id),
      10_000,
    );
    expect(seen.a).toEqual(ids);
    expect(seen.b).toEqual(ids);
    const [row] = await db.query<{ n: number }>('SELECT count(*)::int8 AS n FROM events WHERE published_at IS NULL');
    expect(Number(row!.n)).toBe(0);
  });

  it('hands the relay over when the relaying node stops', async () => {
    const relay = buses.find((b) => b.isRelay)!;
    const other = buses.find((b) => b !== relay)!;
    await relay.stop();
    buses.splice(buses.indexOf(relay), 1);
    await waitFor('the other node to relay', async () => other.isRelay, 5000);
    const got: number[] = [];
    other.subscribe((batch) => got.push(...batch.map((e) => e.envelope.id)));
    const [e] = await commit([event(99)]);
    await waitFor('the event', async () => got.includes(e!.envelope.id), 5000);
  });

  it('retries a failing durable consumer with back-off and takes a redelivered event once', async () => {
    const counts = new Map<string, number>();
    const bus = await newBus('c', counts);
    const calls = new Map<number, number[]>();
    const sub = await bus.subscribeDurable(
      'flaky',
      async (events, { attempt }) => {
        for (const e of events) calls.set(e.envelope.id, [...(calls.get(e.envelope.id) ?? []), attempt]);
        if (attempt < 3) throw new Error('not yet');
      },
      { retryDelaysMs: [100, 200, 400] },
    );
    await sleep(300);
    const [e] = await commit([event(1)]);
    const id = e!.envelope.id;
    await waitFor('the third attempt', async () => (calls.get(id) ?? []).length === 3, 10_000);
    // The same event published again (a relay that crashed before marking it): skipped by its receipt.
    const conn = await amqp.connect(url);
    const ch = await conn.createConfirmChannel();
    const { content, options } = encodeEvent(e!, 0);
    ch.publish(EVENTS_EXCHANGE, e!.envelope.type, content, options);
    await ch.waitForConfirms();
    await waitFor('the duplicate to be counted', async () => (counts.get('consumer_duplicates:flaky') ?? 0) >= 1, 5000);
    expect(calls.get(id)).toEqual([1, 2, 3]);
    expect(counts.get('consumer_retried:flaky')).toBe(2);
    await conn.close();
    await sub.stop();
  });

  it('moves an event to the dead-letter queue after the last retry', async () => {
    const bus = buses.at(-1)!;
    const attempts: number[] = [];
    const sub = await bus.subscribeDurable(
      'doomed',
      async (_e, { attempt }) => {
        attempts.push(attempt);
        throw new Error('always');
      },
      { retryDelaysMs: [100, 100] },
    );
    await sleep(300);
    await commit([event(2)]);
    await waitFor('three attempts', async () => attempts.length === 3, 10_000);
    const conn = await amqp.connect(url);
    const ch = await conn.createChannel();
    const dead = await waitFor(
      'the dead letter',
      async () => {
        const q = await ch.checkQueue(deadLetterQueue('doomed'));
        return q.messageCount === 1 ? q : null;
      },
      5000,
    );
    expect(dead.messageCount).toBe(1);
    const msg = await ch.get(deadLetterQueue('doomed'));
    expect(msg ? msg.properties.headers?.['x-slotcast-error'] : null).toBe('always');
    await conn.close();
    await sub.stop();
  });

  it('gives a new consumer that starts at the beginning the retained log once, shared by two nodes, then live events', async () => {
    // More than two pages of history, half of it of a type the consumer is not bound to.
    const counts = [new Map<string, number>(), new Map<string, number>()];
    const nodes = [await newBus('h1', counts[0]), await newBus('h2', counts[1])];
    await waitFor('a relay', async () => buses.some((b) => b.isRelay), 10_000);
    const history = await commit(Array.from({ length: 2 * BACKFILL_PAGE + 300 }, (_, i) => event(i)));
    // Published to the exchange before the consumer's queue exists: only the backfill can bring these.
    await waitFor('the history published', async () => {
      const [row] = await db.query<{ n: string }>('SELECT count(*) AS n FROM events WHERE published_at IS NULL');
      return Number(row!.n) === 0;
    });
    const handled: number[] = [];
    const subs = await Promise.all(
      nodes.map((bus) =>
        bus.subscribeDurable(
          'history',
          async (events) => {
            handled.push(...events.map((e) => e.envelope.id));
          },
          { bindings: ['booking.confirmed'], startAt: 'beginning' },
        ),
      ),
    );
    const live = await commit([event(0), event(1), event(2)]);
    // The retained log includes the events of the tests before this one.
    const wanted = (
      await db.query<{ id: string }>("SELECT id FROM events WHERE type = 'booking.confirmed' ORDER BY id")
    ).map((r) => Number(r.id));
    expect(wanted).toEqual(
      expect.arrayContaining(live.filter((e) => e.envelope.type === 'booking.confirmed').map((e) => e.envelope.id)),
    );
    await waitFor('every confirmed event handled', async () => wanted.every((id) => handled.includes(id)), 30_000);
    const [row] = await db.query<{ finished: boolean; through: string }>(
      "SELECT finished_at IS NOT NULL AS finished, through_event_id AS through FROM durable_backfills WHERE consumer = 'history'",
    );
    expect(row?.finished).toBe(true);
    // Whatever was copied twice (a live event also in the copy) has reached the consumer and been dropped.
    const conn = await amqp.connect(url);
    const ch = await conn.createChannel();
    await waitFor(
      'the queue to drain',
      async () => (await ch.checkQueue(durableQueue('history'))).messageCount === 0,
      10_000,
    );
    expect(handled.slice().sort((a, b) => a - b)).toEqual(wanted);
    const copied = counts.reduce((n, c) => n + (c.get('consumer_backfilled:history') ?? 0), 0);
    expect(copied).toBeGreaterThanOrEqual(history.filter((e) => e.envelope.type === 'booking.confirmed').length);
    expect(copied).toBeLessThanOrEqual(wanted.length);

    // A consumer seen before does not copy the log again after a restart of every node.
    await Promise.all(subs.map((s) => s.stop()));
    const again = new Map<string, number>();
    const after = await (await newBus('h3', again)).subscribeDurable(
      'history',
      async (events) => {
        handled.push(...events.map((e) => e.envelope.id));
      },
      { bindings: ['booking.confirmed'], startAt: 'beginning' },
    );
    const [sentinel] = await commit([event(100)]);
    await waitFor('the sentinel', async () => handled.includes(sentinel!.envelope.id), 10_000);
    expect(again.get('consumer_backfilled:history') ?? 0).toBe(0);
    expect(handled.length).toBe(wanted.length + 1);
    await conn.close();
    await after.stop();
  });
});
