import type { Booking, NotificationPage } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/db.js';
import { openPostgres } from '../../src/store/postgres.js';
import { takeDueReminders } from '../../src/store/reminders-repo.js';
import { DeliveryService } from '../../src/usecases/notification-deliveries.js';
import { PreferenceService } from '../../src/usecases/notification-preferences.js';
import { NotificationService } from '../../src/usecases/notifications.js';
import { ReminderService } from '../../src/usecases/reminders.js';
import { DB_KINDS } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { api, book, buildWorld, slotAt, type World } from '../support/world.js';

const HOUR = 3_600_000;

describe.each(DB_KINDS)('reminders on %s', (kind) => {
  let server: TestServer;
  let w: World;
  let now = new Date();
  /** A second node's reminder sender: its own pool on the same PostgreSQL database (PGlite has one connection). */
  let otherDb: Db;
  let otherNode: ReminderService;

  beforeAll(async () => {
    server = await startTestServer(kind, {}, () => now);
    w = await buildWorld(server);
    otherDb = server.testDb.url ? await openPostgres(server.testDb.url, { poolSize: 3 }) : server.slotcast.db;
    const prefs = new PreferenceService(otherDb, () => now);
    const notifications = new NotificationService(otherDb, () => {}, new DeliveryService(otherDb, prefs, () => now));
    otherNode = new ReminderService(otherDb, notifications, () => now);
  });
  afterAll(async () => {
    if (otherDb && otherDb !== server?.slotcast.db) await otherDb.close();
    await server?.close();
  });

  const jobs = (bookingId: string) =>
    server.slotcast.db.query<{ offset_minutes: number; start_at: Date; due_at: Date; sent_at: Date | null }>(
      'SELECT offset_minutes, start_at, due_at, sent_at FROM reminders WHERE booking_id = $1 ORDER BY due_at',
      [bookingId],
    );
  const unsent = async (bookingId: string) =>
    (await jobs(bookingId)).filter((j) => j.sent_at === null).map((j) => [j.offset_minutes, j.due_at.toISOString()]);
  const reminders = async (token: string) =>
    (await api<NotificationPage>(server, 'GET', '/notifications?category=reminder', { token })).body.items;
  const confirm = (b: Booking, version = 1) =>
    api(server, 'POST', `/bookings/${b.id}/confirm`, { token: w.a.owner.token, body: { version } });
  const at = (iso: string, minusMinutes: number) => new Date(new Date(iso).getTime() - minusMinutes * 60_000);

  it('schedules the defaults (24 h and 2 h) on confirm and moves them on reschedule', async () => {
    const b = (await book(server, w.bob, w.a, slotAt(3, 10))).body as Booking;
    expect(await jobs(b.id)).toEqual([]);
    await confirm(b);
    await expect
      .poll(() => unsent(b.id))
      .toEqual([
        [1440, at(b.startAt, 1440).toISOString()],
        [120, at(b.startAt, 120).toISOString()],
      ]);
    const to = slotAt(3, 16);
    const moved = await api(server, 'POST', `/bookings/${b.id}/reschedule`, {
      token: w.a.owner.token,
      body: { version: 2, startAt: to },
    });
    expect(moved.status).toBe(200);
    await expect
      .poll(() => unsent(b.id))
      .toEqual([
        [1440, at(to, 1440).toISOString()],
        [120, at(to, 120).toISOString()],
      ]);
  });

  it('removes them on cancel, and uses the customer’s own offsets over the vendor’s', async () => {
    const vendor = await api(server, 'PATCH', `/vendors/${w.a.vendor.id}/notification-defaults`, {
      token: w.a.owner.token,
      body: { reminderOffsetsMinutes: [180] },
    });
    expect(vendor.status).toBe(200);
    const c = (await book(server, w.bob, w.a, slotAt(4, 10))).body as Booking;
    await confirm(c);
    await expect.poll(() => unsent(c.id)).toEqual([[180, at(c.startAt, 180).toISOString()]]);
    await api(server, 'POST', `/bookings/${c.id}/cancel`, { token: w.bob.token, body: { version: 2 } });
    await expect.poll(() => jobs(c.id)).toEqual([]);

    await api(server, 'PATCH', '/me/notification-preferences', {
      token: w.alice.token,
      body: { reminderOffsetsMinutes: [30] },
    });
    const d = (await book(server, w.alice, w.a, slotAt(4, 12))).body as Booking;
    await confirm(d);
    await expect.poll(() => unsent(d.id)).toEqual([[30, at(d.startAt, 30).toISOString()]]);
  });

  it('sends each reminder exactly once with two nodes racing and one dying mid-send', async () => {
    const [first] = await server.slotcast.db.query<{ booking_id: string; due_at: Date }>(
      `SELECT booking_id, due_at FROM reminders r JOIN bookings b ON b.id = r.booking_id
        WHERE b.customer_id = $1 AND r.sent_at IS NULL ORDER BY due_at LIMIT 1`,
      [w.bob.user.id],
    );
    const due = first!.due_at;
    now = due;
    // A node takes the due reminder and dies before its commit: the row is unlocked and still unsent.
    await expect(
      server.slotcast.db.transaction(async (tx) => {
        expect(await takeDueReminders(tx, due, 10)).toHaveLength(1);
        throw new Error('node died');
      }),
    ).rejects.toThrow('node died');

    const sent = await Promise.all([
      server.slotcast.reminders.sendDue(due),
      otherNode.sendDue(due),
      otherNode.sendDue(due),
      server.slotcast.reminders.sendDue(due),
    ]);
    expect(sent.reduce((a, b) => a + b, 0)).toBe(1);
    const items = await reminders(w.bob.token);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      category: 'reminder',
      bookingId: first!.booking_id,
      title: expect.stringMatching(/^Reminder: .* in 1 day$/),
    });
    expect(await server.slotcast.reminders.sendDue(due)).toBe(0);

    // Two hours later than the first: the 2-hour reminder of the same booking, once.
    const later = new Date(due.getTime() + 22 * HOUR);
    now = later;
    const more = await Promise.all([server.slotcast.reminders.sendDue(later), otherNode.sendDue(later)]);
    expect(more.reduce((a, b) => a + b, 0)).toBe(1);
    const titles = (await reminders(w.bob.token)).map((n) => n.title);
    expect(titles.filter((t) => t.endsWith('in 2 hours'))).toHaveLength(1);
    expect(titles.filter((t) => t.endsWith('in 1 day'))).toHaveLength(1);
  });
});
