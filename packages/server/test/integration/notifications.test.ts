import type {
  Booking,
  EventEnvelope,
  NotificationCreatedData,
  NotificationPage,
  NotificationReadData,
} from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAfter } from '../../src/store/event-log.js';
import { insertNotification } from '../../src/store/notifications-repo.js';
import { DB_KINDS } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { listen } from '../support/sockets.js';
import { api, book, buildWorld, login, slotAt, type World } from '../support/world.js';

const ofType = (events: EventEnvelope[], type: string) => events.filter((e) => e.type === type);

describe.each(DB_KINDS)('notifications on %s', (kind) => {
  let server: TestServer;
  let w: World;

  beforeAll(async () => {
    server = await startTestServer(kind);
    w = await buildWorld(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('tells every staff member of the vendor about a new request, live and over REST, and nobody else', async () => {
    const staff = await listen(server, { token: w.a.staff.token });
    const otherVendor = await listen(server, { token: w.b.staff.token });
    const created = (await book(server, w.alice, w.a, slotAt(2, 10))).body as Booking;

    await expect.poll(() => ofType(staff.events, 'notification.created')).toHaveLength(1);
    const live = ofType(staff.events, 'notification.created');
    const data = live[0]!.data as NotificationCreatedData;
    expect(data.notification).toMatchObject({
      bookingId: created.id,
      category: 'request',
      priority: 2,
      title: 'New booking request',
      readAt: null,
    });
    expect(data.notification.body).toContain('Alice');
    expect(data.unreadCount).toBe(1);

    for (const party of [w.a.staff, w.a.owner]) {
      const page = await api<NotificationPage>(server, 'GET', '/notifications', { token: party.token });
      expect(page.body.items.map((n) => n.bookingId)).toEqual([created.id]);
      expect(page.body.unreadCount).toBe(1);
    }
    for (const party of [w.alice, w.bob, w.b.staff, w.admin]) {
      const page = await api<NotificationPage>(server, 'GET', '/notifications', { token: party.token });
      expect(page.body.items).toEqual([]);
    }
    // Sentinel: a request to the other vendor, whose staff must get it and its notification. Events reach a socket
    // in log order, so anything about alice's booking would have come first.
    const sentinel = (await book(server, w.bob, w.b, slotAt(2, 11))).body as Booking;
    await expect
      .poll(() => otherVendor.events.map((e) => e.type))
      .toEqual(['booking.requested', 'notification.created']);
    expect(JSON.stringify(otherVendor.events)).toContain(sentinel.id);
    expect(JSON.stringify(otherVendor.events)).not.toContain(created.id);
    // The sentinel's notifications are not part of what the tests below count for vendor B.
    await server.slotcast.db.query('DELETE FROM notifications WHERE booking_id = $1', [sentinel.id]);
    staff.close();
    otherVendor.close();
  });

  it('tells the customer when staff confirm, and syncs reading across the same user’s tabs', async () => {
    const created = (await book(server, w.bob, w.a, slotAt(2, 14))).body as Booking;
    const tab1 = await listen(server, { token: w.bob.token });
    const tab2 = await listen(server, { token: (await login(server, 'bob@test.test')).token });
    await api(server, 'POST', `/bookings/${created.id}/confirm`, { token: w.a.owner.token, body: { version: 1 } });

    await expect.poll(() => ofType(tab2.events, 'notification.created')).toHaveLength(1);
    const [made] = ofType(tab2.events, 'notification.created');
    const n = (made!.data as NotificationCreatedData).notification;
    expect(n).toMatchObject({ category: 'confirmation', title: 'Booking confirmed', bookingId: created.id });

    const read = await api(server, 'POST', `/notifications/${n.id}/read`, { token: w.bob.token });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: n.id, readAt: expect.any(String) });
    for (const tab of [tab1, tab2]) {
      await expect.poll(() => ofType(tab.events, 'notification.read')).toHaveLength(1);
      const [r] = ofType(tab.events, 'notification.read');
      expect(r!.data as NotificationReadData).toMatchObject({ ids: [n.id], all: false, unreadCount: 0 });
    }
    // Reading again changes nothing and tells nobody.
    await api(server, 'POST', `/notifications/${n.id}/read`, { token: w.bob.token });
    // Sentinel: bob's next booking, whose event is appended after anything the second read could have written.
    const sentinel = (await book(server, w.bob, w.a, slotAt(2, 15))).body as Booking;
    await expect.poll(() => JSON.stringify(ofType(tab1.events, 'booking.requested'))).toContain(sentinel.id);
    expect(ofType(tab1.events, 'notification.read')).toHaveLength(1);

    // Another user's notification is not found for bob.
    const staffPage = await api<NotificationPage>(server, 'GET', '/notifications', { token: w.a.staff.token });
    const foreign = staffPage.body.items[0]!;
    expect((await api(server, 'POST', `/notifications/${foreign.id}/read`, { token: w.bob.token })).status).toBe(404);
    tab1.close();
    tab2.close();
  });

  it('sorts by priority, filters by category and unread, pages without gaps, and marks all read', async () => {
    const owner = w.b.owner;
    const made: Booking[] = [];
    for (let i = 0; i < 5; i++) made.push((await book(server, w.alice, w.b, slotAt(3, 8 + i))).body as Booking);
    // Two cancellations by the customer (priority 2) among five requests (priority 2 as well) and a move (priority 1).
    await api(server, 'POST', `/bookings/${made[0]!.id}/cancel`, { token: w.alice.token, body: { version: 1 } });
    await api(server, 'POST', `/bookings/${made[1]!.id}/reschedule`, {
      token: w.alice.token,
      body: { version: 1, startAt: slotAt(3, 20) },
    });

    const list = () => api<NotificationPage>(server, 'GET', '/notifications?limit=100', { token: owner.token });
    await expect.poll(async () => (await list()).body.items.length).toBe(7);
    const all = await list();
    expect(all.body.unreadCount).toBe(7);

    const byPriority = await api<NotificationPage>(server, 'GET', '/notifications?sort=priority&limit=100', {
      token: owner.token,
    });
    const priorities = byPriority.body.items.map((n) => n.priority);
    expect(priorities).toEqual([...priorities].sort((a, b) => b - a));
    expect(byPriority.body.items.at(-1)!.category).toBe('change');

    const cancels = await api<NotificationPage>(server, 'GET', '/notifications?category=cancellation', {
      token: owner.token,
    });
    expect(cancels.body.items.map((n) => n.bookingId)).toEqual([made[0]!.id]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `/notifications?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page: { body: NotificationPage } = await api<NotificationPage>(server, 'GET', q, { token: owner.token });
      seen.push(...page.body.items.map((n) => n.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.body.items.map((n) => n.id));

    const done = await api<{ updated: number; unreadCount: number }>(server, 'POST', '/notifications/read-all', {
      token: owner.token,
    });
    expect(done.body).toEqual({ updated: 7, unreadCount: 0 });
    const unread = await api<NotificationPage>(server, 'GET', '/notifications?unreadOnly=true', { token: owner.token });
    expect(unread.body.items).toEqual([]);
    // Staff of the same vendor keep their own read state.
    const colleague = await api<NotificationPage>(server, 'GET', '/notifications?unreadOnly=true&limit=100', {
      token: w.b.staff.token,
    });
    expect(colleague.body.items).toHaveLength(7);
  });

  it('pages through notifications made in the same instant without gaps or repeats', async () => {
    const user = w.a.owner.user.id;
    await server.slotcast.db.transaction(async (tx) => {
      for (let i = 0; i < 7; i++) {
        await insertNotification(tx, {
          userId: user,
          sourceEventId: 1_000_000 + i,
          bookingId: null,
          category: 'reminder',
          priority: 1,
          title: `Reminder ${i}`,
          body: 'same transaction, same created_at',
        });
      }
    });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `/notifications?category=reminder&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page: { body: NotificationPage } = await api<NotificationPage>(server, 'GET', q, {
        token: w.a.owner.token,
      });
      seen.push(...page.body.items.map((n) => n.title));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect([...seen].sort()).toEqual(Array.from({ length: 7 }, (_, i) => `Reminder ${i}`));
  });

  it('makes each notification once even when the consumer sees an event twice', async () => {
    const created = (await book(server, w.bob, w.b, slotAt(4, 9))).body as Booking;
    const count = () =>
      server.slotcast.db.query<{ n: number }>('SELECT count(*)::int8 AS n FROM notifications WHERE booking_id = $1', [
        created.id,
      ]);
    await expect.poll(async () => (await count())[0]!.n).toBe(2);
    const events = (await readAfter(server.slotcast.db, 0, 100_000)).filter((e) => e.bookingId === created.id);
    await server.slotcast.db.transaction((tx) => server.slotcast.notifications.fromEvents(tx, events));
    expect((await count())[0]!.n).toBe(2);
  });
});
