import type { Booking, FrequencyReport, NotificationPage, Problem } from '@slotcast/protocol';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryService } from '../../src/usecases/notification-deliveries.js';
import { DB_KINDS } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { api, book, buildWorld, slotAt, type World } from '../support/world.js';

const ZONE = 'Europe/Berlin';
// The next 23:00 in Berlin: inside quiet hours 22:00–07:00; the digest is due at 07:00 the next morning.
const night = DateTime.now().setZone(ZONE).plus({ days: 1 }).set({ hour: 23, minute: 0, second: 0, millisecond: 0 });
const morning = night.plus({ days: 1 }).set({ hour: 7 });

describe.each(DB_KINDS)('push and email deliveries on %s', (kind) => {
  let server: TestServer;
  let w: World;
  const now = night.toJSDate();

  beforeAll(async () => {
    // One outbox row per notification here: batching has its own suite (outbox-delivery.test.ts).
    server = await startTestServer(kind, { NOTIFY_BATCH_WINDOW_SECONDS: '0' }, () => now);
    w = await buildWorld(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  const rows = (table: string, userId: string) =>
    server.slotcast.db.query<Record<string, unknown>>(`SELECT * FROM ${table} WHERE user_id = $1 ORDER BY id`, [
      userId,
    ]);

  it('sends at once outside quiet hours: one outbox row per channel that is on, none for a channel off', async () => {
    await api(server, 'PATCH', '/me/notification-preferences', {
      token: w.bob.token,
      body: { settings: [{ category: 'confirmation', channel: 'email', enabled: false }] },
    });
    const b = (await book(server, w.bob, w.a, slotAt(3, 9))).body as Booking;
    await api(server, 'POST', `/bookings/${b.id}/confirm`, { token: w.a.owner.token, body: { version: 1 } });
    await expect.poll(async () => (await rows('notification_outbox', w.bob.user.id)).length).toBe(1);
    const [push] = await rows('notification_outbox', w.bob.user.id);
    expect(push).toMatchObject({
      channel: 'push',
      kind: 'single',
      category: 'confirmation',
      title: 'Booking confirmed',
    });
    // In-app is written in the same transaction as the outbox rows.
    const page = await api<NotificationPage>(server, 'GET', '/notifications', { token: w.bob.token });
    expect(page.body.items.map((n) => n.category)).toEqual(['confirmation']);
  });

  it('holds push and email through quiet hours, keeps no in-app row when in-app is off, and sends one digest per channel at the end', async () => {
    await api(server, 'PATCH', '/me/notification-preferences', {
      token: w.alice.token,
      body: {
        settings: [{ category: 'confirmation', channel: 'in_app', enabled: false }],
        quietHours: {
          timeZone: ZONE,
          windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '22:00', end: '07:00' }],
          urgentWithinHours: null,
        },
      },
    });
    const b1 = (await book(server, w.alice, w.a, slotAt(3, 10))).body as Booking;
    const b2 = (await book(server, w.alice, w.a, slotAt(3, 12))).body as Booking;
    await api(server, 'POST', `/bookings/${b1.id}/confirm`, { token: w.a.owner.token, body: { version: 1 } });
    await api(server, 'POST', `/bookings/${b2.id}/confirm`, { token: w.a.owner.token, body: { version: 1 } });
    await api(server, 'POST', `/bookings/${b2.id}/reschedule`, {
      token: w.a.owner.token,
      body: { version: 2, startAt: slotAt(3, 14) },
    });
    await expect.poll(async () => (await rows('notification_held', w.alice.user.id)).length).toBe(6);
    const held = await rows('notification_held', w.alice.user.id);
    expect(new Set(held.map((h) => (h.hold_until as Date).toISOString()))).toEqual(new Set([morning.toUTC().toISO()]));
    expect(await rows('notification_outbox', w.alice.user.id)).toEqual([]);
    // Confirmations are off in-app for alice; the change is on.
    const page = await api<NotificationPage>(server, 'GET', '/notifications', { token: w.alice.token });
    expect(page.body.items.map((n) => n.category)).toEqual(['change']);

    const deliveries = server.slotcast.deliveries;
    expect(await deliveries.releaseHeld(morning.minus({ minutes: 1 }).toJSDate())).toBe(0);
    // Two nodes run the digest job at the same moment: exactly one digest per user × channel.
    const other = new DeliveryService(server.slotcast.db, server.slotcast.preferences);
    const made = await Promise.all([
      deliveries.releaseHeld(morning.toJSDate()),
      other.releaseHeld(morning.toJSDate()),
      deliveries.releaseHeld(morning.toJSDate()),
    ]);
    expect(made.reduce((a, b) => a + b, 0)).toBe(2);
    expect(await rows('notification_held', w.alice.user.id)).toEqual([]);
    const digests = await rows('notification_outbox', w.alice.user.id);
    expect(digests.map((d) => [d.channel, d.kind, d.items, d.title])).toEqual(
      expect.arrayContaining([
        ['push', 'digest', 3, 'While you were away: 2 bookings confirmed, 1 booking changed'],
        ['email', 'digest', 3, 'While you were away: 2 bookings confirmed, 1 booking changed'],
      ]),
    );
  });

  it('reports per category what was sent, opened and turned off, to admins only', async () => {
    const page = await api<NotificationPage>(server, 'GET', '/notifications', { token: w.bob.token });
    await api(server, 'POST', `/notifications/${page.body.items[0]!.id}/read`, { token: w.bob.token });
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = morning.plus({ days: 2 }).toUTC().toISO()!;
    const path = `/admin/notification-frequency?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;

    const report = await api<FrequencyReport>(server, 'GET', path, { token: w.admin.token });
    expect(report.status).toBe(200);
    const of = (c: string) => report.body.categories.find((x) => x.category === c)!;
    // Bob's confirmation in the app (alice turned hers off), sent by push (marked sent above), opened just now;
    // turned off twice: bob's email, alice's in-app.
    expect(of('confirmation')).toMatchObject({ sent: 1, pushSent: 1, emailSent: 0, opened: 1, turnedOff: 2 });
    expect(of('confirmation').medianSecondsToOpen).toBeGreaterThanOrEqual(0);
    expect(of('change')).toMatchObject({ sent: 1, opened: 0, medianSecondsToOpen: null, turnedOff: 0 });
    // Three requests, each to the owner and the staff member of vendor A.
    expect(of('request')).toMatchObject({ sent: 6, turnedOff: 0 });
    expect(report.body.categories).toHaveLength(9);

    for (const party of [w.alice, w.a.owner]) {
      const res = await api<Problem>(server, 'GET', path, { token: party.token });
      expect([res.status, res.body.code]).toEqual([403, 'FORBIDDEN']);
    }
    const backwards = await api<Problem>(
      server,
      'GET',
      `/admin/notification-frequency?from=${encodeURIComponent(to)}&to=${encodeURIComponent(from)}`,
      { token: w.admin.token },
    );
    expect([backwards.status, backwards.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });
});
