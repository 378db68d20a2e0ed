import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../../src/store/db.js';
import { appendEvents, type EventScope, type NewEvent, readEvents, readEventsMany } from '../../src/store/event-log.js';
import { RealtimeAccess } from '../../src/usecases/realtime-access.js';
import { DB_KINDS, freshDb, type TestDb } from '../support/databases.js';

describe.each(DB_KINDS)('replay reads on %s', (kind) => {
  let t: TestDb;
  const vendors = [randomUUID(), randomUUID()];
  const customers = [randomUUID(), randomUUID(), randomUUID()];
  const staff = randomUUID();
  const admin = randomUUID();

  beforeAll(async () => {
    t = await freshDb(kind);
    // Booking events of every vendor × customer, private notifications, and account events nobody may replay.
    const events: NewEvent[] = [];
    for (let round = 0; round < 4; round++) {
      for (const vendorId of vendors) {
        for (const customerId of customers) {
          events.push({
            type: 'booking.requested',
            bookingId: randomUUID(),
            vendorId,
            customerId,
            resourceId: null,
            data: {},
          });
        }
      }
      events.push({
        type: 'notification.created',
        bookingId: null,
        vendorId: null,
        customerId: null,
        resourceId: null,
        userId: customers[0]!,
        data: {},
      });
      events.push({
        type: 'notification.created',
        bookingId: null,
        vendorId: null,
        customerId: null,
        resourceId: null,
        userId: staff,
        data: {},
      });
      events.push({
        type: 'account.verification',
        bookingId: null,
        vendorId: null,
        customerId: null,
        resourceId: null,
        userId: customers[1]!,
        data: {},
      });
    }
    await t.db.transaction((tx) => appendEvents(tx, events));
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('reads for many readers in one statement exactly what each would read alone', async () => {
    const scopes: EventScope[] = [
      ...customers.map((id) => ({ userId: id, customerId: id })),
      { userId: staff, vendorId: vendors[0]! },
      { userId: admin, all: true },
    ];
    const reads = scopes.flatMap((scope) => [
      { scope, afterId: 0, throughId: 1_000 },
      { scope, afterId: 9, throughId: 31 },
    ]);
    for (const limit of [1_000, 3]) {
      const many = await readEventsMany(t.db, reads, limit);
      const alone = await Promise.all(reads.map((r) => readEvents(t.db, r.scope, r.afterId, r.throughId, limit)));
      expect(many.map((rows) => rows.map((e) => e.envelope.id))).toEqual(
        alone.map((rows) => rows.map((e) => e.envelope.id)),
      );
      expect(many).toEqual(alone);
    }
    // Not vacuous: every reader saw something, and nobody an account event.
    const all = await readEventsMany(t.db, reads, 1_000);
    expect(all.every((rows) => rows.length > 0)).toBe(true);
    expect(all.flat().some((e) => e.envelope.type.startsWith('account.'))).toBe(false);
  });

  it('shares one statement among the replays of one event-loop turn, each asked for in a callback of its own', async () => {
    // Every socket's I/O is a callback (a tick) of its own: the replays of a storm ask from separate callbacks of the
    // same turn, as these immediates do.
    const statements: string[] = [];
    const counted: Queryable = {
      query: (sql, params) => {
        statements.push(sql);
        return t.db.query(sql, params);
      },
      exec: (sql) => t.db.exec(sql),
    };
    const access = new RealtimeAccess(counted);
    const scopes: EventScope[] = customers.map((id) => ({ userId: id, customerId: id }));
    const pending: Promise<number[]>[] = [];
    await new Promise<void>((turnDone) => {
      for (const scope of scopes) {
        setImmediate(() =>
          pending.push(access.readScoped(scope, 0, 1_000, 1_000).then((rows) => rows.map((e) => e.envelope.id))),
        );
      }
      setImmediate(turnDone);
    });
    const read = await Promise.all(pending);
    expect(statements).toHaveLength(1);
    const alone = await Promise.all(scopes.map((scope) => readEvents(t.db, scope, 0, 1_000, 1_000)));
    expect(read).toEqual(alone.map((rows) => rows.map((e) => e.envelope.id)));
    expect(read.every((ids) => ids.length > 0)).toBe(true);
  });
});
