import type { Booking, NotificationCreatedData, NotificationPage } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAfter } from '../../src/store/event-log.js';
import { NOTIFICATIONS_WORKER, startNotificationsWorker } from '../../src/workers/notifications-worker.js';
import { DB_KINDS } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { api, book, buildWorld, type Party, slotAt, type World } from '../support/world.js';

/**
 * The notifications worker on the durable-consumer mechanism, run by the test on a node that runs no workers itself
 * (WORKERS_ENABLED=false), so the test decides when it runs, crashes and comes back.
 */
describe.each(DB_KINDS)('the notifications worker on %s', (kind) => {
  let server: TestServer;
  let w: World;

  beforeAll(async () => {
    server = await startTestServer(kind, { WORKERS_ENABLED: 'false' });
    w = await buildWorld(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  const notificationsOf = async (p: Party) =>
    (await api<NotificationPage>(server, 'GET', '/notifications?limit=100', { token: p.token })).body;
  /** Every notification.created event in the log since `after`, as (user, source event) pairs, with its data. */
  const createdEvents = async (after: number) =>
    (await readAfter(server.slotcast.db, after, 100_000))
      .filter((e) => e.envelope.type === 'notification.created')
      .map((e) => ({ userId: e.userId!, data: e.envelope.data as NotificationCreatedData }));

  it('makes each notification exactly once per recipient across a crash before the commit, and the backlog in one go', async () => {
    const { bus, notifications, db } = server.slotcast;
    // The worker has run before: its position is stored, so what is committed while it is away waits for it.
    await (await startNotificationsWorker(bus, notifications)).stop();
    const start = (await readAfter(db, 0, 100_000)).at(-1)?.envelope.id ?? 0;

    // A backlog: requests at both vendors, some confirmed and one cancelled by staff.
    const made: Booking[] = [];
    for (let i = 0; i < 6; i++) {
      const v = i % 2 ? w.b : w.a;
      made.push((await book(server, i % 3 ? w.alice : w.bob, v, slotAt(5, 8 + i))).body as Booking);
    }
    for (const b of made.slice(0, 3)) {
      const owner = b.vendorId === w.a.vendor.id ? w.a.owner : w.b.owner;
      const r = await api(server, 'POST', `/bookings/${b.id}/confirm`, { token: owner.token, body: { version: 1 } });
      expect(r.status).toBe(200);
    }
    const cancelled = made[3]!;
    const owner = cancelled.vendorId === w.a.vendor.id ? w.a.owner : w.b.owner;
    await api(server, 'POST', `/bookings/${cancelled.id}/cancel`, { token: owner.token, body: { version: 1 } });

    // The node running the worker dies after writing the batch's notifications, before its commit.
    let crash!: (size: number) => void;
    let statements = 0;
    const crashed = new Promise<number>((r) => {
      crash = r;
    });
    const dying = await bus.subscribeDurable(
      NOTIFICATIONS_WORKER,
      async (events, { tx }) => {
        // Count the statements the batch costs: a fixed handful, however many events and recipients it has.
        const counted = {
          ...tx,
          query: (sql: string, params?: readonly unknown[]) => {
            statements++;
            return tx.query(sql, params);
          },
          // On PostgreSQL the append is sent with the COMMIT: a statement all the same.
          ...(tx.withCommit
            ? {
                withCommit: (sql: string, onRows: (rows: unknown[]) => void) => {
                  statements++;
                  tx.withCommit!(sql, onRows);
                },
              }
            : {}),
        };
        await notifications.fromEvents(counted as typeof tx, events);
        crash(events.length);
        throw new Error('node died');
      },
      { bindings: ['booking.*'], retryDelaysMs: [60_000] },
    );
    // Ten booking events waited for it, and it took them as one batch.
    expect(await crashed).toBe(10);
    // Names (4 tables), staff, preferences (roles, own cells, vendor defaults, quiet hours, digest frequencies), the
    // recent push/email traffic (batching window), the outbox and held inserts, insert, unread counts, and appending
    // the 16 notification events (one append_events).
    expect(statements).toBe(16);
    await dying.stop();
    expect(await createdEvents(start)).toEqual([]);

    // It comes back (the same code as any node's worker) and resumes from its stored position.
    const worker = await startNotificationsWorker(bus, notifications);
    // Each request tells both staff members of its vendor (12), each staff confirmation and cancellation the customer (4).
    await expect.poll(async () => (await createdEvents(start)).length, { timeout: 15_000 }).toBe(16);
    await worker.stop();

    const created = await createdEvents(start);
    const pairs = created.map((c) => `${c.userId} ${c.data.notification.sourceEventId}`);
    expect(new Set(pairs).size).toBe(pairs.length);

    for (const party of [w.a.owner, w.a.staff, w.b.owner, w.b.staff, w.alice, w.bob]) {
      const page = await notificationsOf(party);
      const mine = created.filter((c) => c.userId === party.user.id);
      // Rows and events agree one to one, and unread counts run up to what REST reports.
      expect(page.items.map((n) => n.id).sort()).toEqual(mine.map((c) => c.data.notification.id).sort());
      expect(mine.map((c) => c.data.unreadCount)).toEqual(mine.map((_, i) => page.unreadCount - mine.length + i + 1));
    }
    const staffA = await notificationsOf(w.a.staff);
    expect(staffA.items.filter((n) => n.category === 'request')).toHaveLength(3);
    const alice = await notificationsOf(w.alice);
    expect(alice.items.map((n) => n.category).sort()).toEqual(
      made
        .slice(0, 4)
        .filter((b) => b.customerId === w.alice.user.id)
        .map((b) => (b.id === cancelled.id ? 'cancellation' : 'confirmation'))
        .sort(),
    );
  });
});
