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
  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    bus = new EmbeddedBus(db, { logger: pino({ level: 'silent' }), metrics: noBusMetrics, pollMs: 50 });
    await bus.start();
    // PGlite (WASM) takes a few seconds to start on a busy machine.
  }, 60_000);
  afterAll(async () => {
    await bus?.stop();
    await db?.close();
  });

  it('hands matching events on in order, retrying a failure in place', async () => {
    const seen: [number, number][] = [];
    const sub = await bus.subscribeDurable(
      'ordered',
      async (e, { attempt }) => {
        seen.push([e.envelope.id, attempt]);
        if (seen.length === 1) throw new Error('once');
      },
      { bindings: ['booking.*'], retryDelaysMs: [10] },
    );
    const [a] = await commit(db, 'booking.requested');
    await commit(db, 'notification.created');
    const [b] = await commit(db, 'booking.confirmed');
    await expect.poll(() => seen.length).toBe(3);
    expect(seen).toEqual([
      [a!.envelope.id, 1],
      [a!.envelope.id, 2],
      [b!.envelope.id, 1],
    ]);
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
});
