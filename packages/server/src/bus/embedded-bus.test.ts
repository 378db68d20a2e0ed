import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../store/db.js';
import { appendEvents } from '../store/event-log.js';
import { migrate } from '../store/migrate.js';
import { openPglite } from '../store/pglite.js';
import { noBusMetrics } from './bus-metrics.js';
import { EmbeddedBus } from './embedded-bus.js';

const commit = (db: Db, type: string) =>
  db.transaction((tx) =>
    appendEvents(tx, [{ type, bookingId: null, vendorId: null, customerId: null, resourceId: null, data: {} }]),
  );

describe('EmbeddedBus durable consumers (no broker)', () => {
  let db: Db;
  let bus: EmbeddedBus;
  const newBus = async () => {
    const b = new EmbeddedBus(db, { logger: pino({ level: 'silent' }), metrics: noBusMetrics, pollMs: 50 });
    await b.start();
    return b;
  };
  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    bus = await newBus();
    // PGlite (WASM) takes a few seconds to start on a busy machine.
  }, 60_000);
  afterAll(async () => {
    await bus?.stop();
    await db?.close();
  });

  it('hands matching events on in order, retrying a failure in place', async () => {
    // Each call's ids, and whether it failed: the first call fails. Whether `a` and `b` arrive in one batch or two
    // depends on when the consumer's pass runs; either way nothing after `a` may count as handled before `a` did.
    const calls: { ids: number[]; failed: boolean }[] = [];
    const sub = await bus.subscribeDurable(
      'ordered',
      async (events) => {
        const failed = calls.length === 0;
        calls.push({ ids: events.map((e) => e.envelope.id), failed });
        if (failed) throw new Error('once');
      },
      { bindings: ['booking.*'], retryDelaysMs: [10] },
    );
    const [a] = await commit(db, 'booking.requested');
    await commit(db, 'notification.created');
    const [b] = await commit(db, 'booking.confirmed');
    const handled = () => calls.filter((c) => !c.failed).flatMap((c) => c.ids);
    await expect.poll(handled).toEqual([a!.envelope.id, b!.envelope.id]);
    expect(calls[0]!.ids[0]).toBe(a!.envelope.id);
    await sub.stop();
  });

  it('hands a backlog on in batches, and one failing event holds up only itself', async () => {
    const batches: number[][] = [];
    const made: number[] = [];
    for (let i = 0; i < 7; i++) made.push((await commit(db, 'booking.requested'))[0]!.envelope.id);
    const poison = made[3]!;
    const sub = await bus.subscribeDurable(
      'batched',
      async (events) => {
        batches.push(events.map((e) => e.envelope.id));
        if (events.some((e) => e.envelope.id === poison)) throw new Error('poison');
      },
      { startAt: 'beginning', batchSize: 100, retryDelaysMs: [10] },
    );
    await expect
      .poll(async () => (await db.query('SELECT 1 FROM bus_dead_letters WHERE consumer = $1', ['batched'])).length)
      .toBe(1);
    await expect.poll(() => batches.flat().includes(made[6]!)).toBe(true);
    // The first try takes everything at once; after the failure the rest go alone, and only the poison is retried.
    expect(batches[0]).toEqual(expect.arrayContaining(made));
    const handledAfter = batches.slice(1).flat();
    expect(handledAfter.filter((id) => id === poison)).toHaveLength(2);
    for (const id of made.filter((m) => m !== poison)) expect(handledAfter.filter((x) => x === id)).toHaveLength(1);
    await sub.stop();
  });

  it('records an event it gave up on as a dead letter and goes on', async () => {
    const sub = await bus.subscribeDurable(
      'hopeless',
      async () => {
        throw new Error('never');
      },
      { retryDelaysMs: [10, 10] },
    );
    const [e] = await commit(db, 'booking.requested');
    await expect
      .poll(async () => (await db.query('SELECT 1 FROM bus_dead_letters WHERE consumer = $1', ['hopeless'])).length)
      .toBe(1);
    const [row] = await db.query<{ event_id: number; attempts: number; error: string }>(
      'SELECT event_id, attempts, error FROM bus_dead_letters WHERE consumer = $1',
      ['hopeless'],
    );
    expect(row).toEqual({ event_id: e!.envelope.id, attempts: 3, error: 'never' });
    await sub.stop();
  });

  it('keeps what a handler wrote through its transaction exactly once across a crash before the commit', async () => {
    await db.exec('CREATE TABLE effects (event_id int8 NOT NULL)');
    const write = (tx: Parameters<Parameters<typeof bus.subscribeDurable>[1]>[1]['tx'], ids: number[]) =>
      tx.query('INSERT INTO effects (event_id) SELECT unnest($1::int8[])', [ids]);
    let crash!: () => void;
    const crashed = new Promise<void>((r) => {
      crash = r;
    });
    const first = await bus.subscribeDurable('effects', async (events, { tx }) => {
      await write(
        tx,
        events.map((e) => e.envelope.id),
      );
      // The node dies here: its effects are written, its position not yet committed.
      crash();
      throw new Error('node died');
    });
    const ids = [(await commit(db, 'booking.requested'))[0]!.envelope.id];
    await crashed;
    await first.stop();
    ids.push((await commit(db, 'booking.confirmed'))[0]!.envelope.id);

    // Another node (another bus on the same database) takes over from the stored position.
    const other = await newBus();
    const sub = await other.subscribeDurable('effects', async (events, { tx }) => {
      await write(
        tx,
        events.map((e) => e.envelope.id),
      );
    });
    await expect
      .poll(async () =>
        (await db.query<{ event_id: number }>('SELECT event_id FROM effects ORDER BY 1')).map((r) => r.event_id),
      )
      .toEqual(ids);
    await sub.stop();
    await other.stop();
  });
});
