import { randomUUID } from 'node:crypto';
import type { Booking, NotificationPage, NotificationPreferences, PushDevice, PushPayload } from '@slotcast/protocol';
import { DateTime } from 'luxon';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import webpush from 'web-push';
import { nextDigestAt } from '../../src/domain/notification-batching.js';
import { ActionTokens } from '../../src/push/action-tokens.js';
import { createPushSenders } from '../../src/push/push-senders.js';
import {
  claimDue,
  deferOutbox,
  insertOutbox,
  markSent,
  type NewOutboxRow,
  type OutboxRow,
  pruneSentOutbox,
} from '../../src/store/deliveries-repo.js';
import { recordSends } from '../../src/store/push-repo.js';
import { DeliveryService } from '../../src/usecases/notification-deliveries.js';
import { OutboxSender } from '../../src/workers/outbox-sender.js';
import { pushChannel } from '../../src/workers/push-sender.js';
import { DB_KINDS } from '../support/databases.js';
import { loopbackCertificate } from '../support/push/tls.js';
import { WebPushService } from '../support/push/web-push-service.js';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../support/server.js';
import { startSmtpSink } from '../support/smtp-sink.js';
import { api, book, buildWorld, type Party, slotAt, type World } from '../support/world.js';

const ZONE = 'Europe/Berlin';
// The next 23:00 in Berlin: inside quiet hours 22:00–07:00; the digest is due at 07:00 the next morning.
const night = DateTime.now().setZone(ZONE).plus({ days: 1 }).set({ hour: 23, minute: 0, second: 0, millisecond: 0 });
const morning = night.plus({ days: 1 }).set({ hour: 7 });
const POLL = { timeout: 20_000, interval: 50 };
const LEASE_MS = 60_000;

describe.each(DB_KINDS)('push and email through the outbox on %s', (kind) => {
  let server: TestServer;
  let w: World;
  let webPush: WebPushService;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let tlsCert: string;
  // The server's clock: every decision (quiet hours, batching window, digests, leases) reads it.
  let now = night.toJSDate();
  const vapid = webpush.generateVAPIDKeys();

  beforeAll(async () => {
    const tls = await loopbackCertificate();
    tlsCert = tls.cert;
    webPush = new WebPushService(tls, vapid.publicKey);
    await webPush.start();
    smtp = await startSmtpSink();
    server = await startTestServer(
      kind,
      {
        VAPID_PUBLIC_KEY: vapid.publicKey,
        VAPID_PRIVATE_KEY: vapid.privateKey,
        VAPID_SUBJECT: 'mailto:ops@slotcast.test',
        PUSH_ENDPOINT_HOSTS: '127.0.0.1',
        PUSH_RETRY_DELAYS_MS: '20,50,100',
        SMTP_URL: smtp.smtpUrl,
        PUBLIC_URL: 'https://book.example.test',
        NOTIFY_BATCH_WINDOW_SECONDS: '60',
        OUTBOX_LEASE_SECONDS: String(LEASE_MS / 1000),
        // Sends follow the outbox's NOTIFY; the tests release digests themselves, on their clock.
        OUTBOX_SWEEP_SECONDS: '3600',
        DIGEST_SWEEP_SECONDS: '3600',
      },
      () => now,
      { pushCa: tls.cert },
    );
    w = await buildWorld(server);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await Promise.all([webPush?.close(), smtp?.close()]);
  });

  const subscribe = async (party: Party, name: string): Promise<PushDevice> => {
    const device = webPush.register(webPush.device(name));
    const res = await api<PushDevice>(server, 'POST', '/push/subscriptions', {
      token: party.token,
      body: { provider: 'webpush', endpoint: device.endpoint, keys: device.keys },
      headers: { 'user-agent': name },
    });
    expect(res.status).toBe(201);
    return res.body;
  };
  const payloads = (device: string) => webPush.to(device).map((p) => JSON.parse(p.payload) as PushPayload);
  const titles = (device: string) => payloads(device).map((p) => p.title);
  const prefs = (party: Party, body: unknown) =>
    api<NotificationPreferences>(server, 'PATCH', '/me/notification-preferences', { token: party.token, body });
  const confirm = (owner: Party, b: Booking) =>
    api<Booking>(server, 'POST', `/bookings/${b.id}/confirm`, { token: owner.token, body: { version: b.version } });
  const heldOf = (userId: string) =>
    server.slotcast.db.query<{ channel: string; reason: string }>(
      'SELECT channel, reason FROM notification_held WHERE user_id = $1',
      [userId],
    );
  const at = (t: DateTime, plus: { minutes?: number; seconds?: number } = {}) => {
    now = t.plus(plus).toJSDate();
  };

  it('holds push and email through quiet hours and delivers them once, as one digest per channel, when they end', async () => {
    await subscribe(w.alice, 'alice-phone');
    await prefs(w.alice, {
      quietHours: {
        timeZone: ZONE,
        windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '22:00', end: '07:00' }],
        urgentWithinHours: null,
      },
    });
    const b1 = (await book(server, w.alice, w.a, slotAt(3, 10))).body as Booking;
    const b2 = (await book(server, w.alice, w.a, slotAt(3, 12))).body as Booking;
    const b3 = (await book(server, w.alice, w.a, slotAt(3, 14))).body as Booking;
    await confirm(w.a.owner, b1);
    await confirm(w.a.owner, b2);
    await expect.poll(async () => (await heldOf(w.alice.user.id)).length, POLL).toBe(4);

    at(morning);
    // Two nodes run the digest job at once: one digest per channel.
    const other = new DeliveryService(server.slotcast.db, server.slotcast.preferences, () => now);
    await Promise.all([server.slotcast.deliveries.releaseHeld(now), other.releaseHeld(now)]);
    const digests = await server.slotcast.db.query<{ channel: string }>(
      "SELECT channel FROM notification_outbox WHERE user_id = $1 AND kind = 'digest' ORDER BY channel",
      [w.alice.user.id],
    );
    expect(digests.map((d) => d.channel)).toEqual(['email', 'push']);
    const digest = 'While you were away: 2 bookings confirmed';
    await expect.poll(() => titles('alice-phone'), POLL).toEqual([digest]);
    await expect.poll(() => smtp.to(w.alice.user.email).map((m) => m.subject), POLL).toEqual([digest]);
    const [mail] = smtp.to(w.alice.user.email);
    expect(mail!.messageId).toMatch(/^<outbox-\d+@slotcast>$/);
    expect(mail!.text).toContain('https://book.example.test/settings/notifications');

    // Sentinel: a confirmation after the window goes at once, and arrives after any second digest would have.
    at(morning, { minutes: 5 });
    await confirm(w.a.owner, b3);
    await expect.poll(() => titles('alice-phone'), POLL).toEqual([digest, 'Booking confirmed']);
    await expect.poll(() => smtp.to(w.alice.user.email).length, POLL).toBe(2);
    const single = smtp.to(w.alice.user.email)[1]!;
    expect(single.text).toContain(`Vendor ${w.a.vendor.slug}`);
    expect(single.text).toContain(`https://book.example.test/bookings/${b3.id}`);
  });

  it('pushes to a user who turned in-app off, and sends nothing on a channel whose category is off', async () => {
    at(morning, { minutes: 10 });
    await subscribe(w.bob, 'bob-phone');
    await prefs(w.bob, {
      settings: [
        { category: 'confirmation', channel: 'in_app', enabled: false },
        { category: 'cancellation', channel: 'push', enabled: false },
      ],
    });
    const b = (await book(server, w.bob, w.b, slotAt(3, 10))).body as Booking;
    const confirmed = (await confirm(w.b.owner, b)).body;
    await expect.poll(() => titles('bob-phone'), POLL).toEqual(['Booking confirmed']);
    // Both channels done before the clock jumps past their lease.
    await expect.poll(() => smtp.to(w.bob.user.email).length, POLL).toBe(1);
    const page = await api<NotificationPage>(server, 'GET', '/notifications', { token: w.bob.token });
    expect(page.body.items.map((n) => n.category)).not.toContain('confirmation');

    at(morning, { minutes: 15 });
    await api(server, 'POST', `/bookings/${b.id}/cancel`, {
      token: w.b.owner.token,
      body: { version: confirmed.version },
    });
    // The cancellation's mail and its (absent) push row are written in one transaction: the mail is the sentinel.
    await expect
      .poll(() => smtp.to(w.bob.user.email).map((m) => m.subject), POLL)
      // A mail's subject names the vendor after the notification's title.
      .toEqual(['Booking confirmed · Vendor vendor-b', 'Your booking was cancelled · Vendor vendor-b']);
    const rows = await server.slotcast.db.query(
      "SELECT id FROM notification_outbox WHERE user_id = $1 AND channel = 'push' AND category = 'cancellation'",
      [w.bob.user.id],
    );
    expect(rows).toEqual([]);
    expect(titles('bob-phone')).toEqual(['Booking confirmed']);
  });

  it('folds the notifications of one batching window into one push: the first goes at once, the rest as one', async () => {
    const start = morning.plus({ minutes: 30 });
    at(start);
    await subscribe(w.a.staff, 'a-staff-phone');
    for (const hour of [8, 9, 10, 11]) await book(server, w.alice, w.a, slotAt(4, hour));
    await expect.poll(() => titles('a-staff-phone'), POLL).toEqual(['New booking request']);
    await expect.poll(async () => (await heldOf(w.a.staff.user.id)).length, POLL).toBe(3);
    at(start, { seconds: 60 });
    await server.slotcast.deliveries.releaseHeld(now);
    await expect
      .poll(() => titles('a-staff-phone'), POLL)
      .toEqual(['New booking request', `Vendor ${w.a.vendor.slug}: 3 new requests`]);
  });

  it('gives staff who chose an hourly digest one push for the hour, and refuses digests to customers', async () => {
    const start = morning.plus({ minutes: 40 });
    at(start);
    const set = await prefs(w.b.staff, { frequencies: [{ category: 'request', frequency: 'hourly' }] });
    expect(set.body.frequencies).toMatchObject({ request: 'hourly', confirmation: 'immediate' });
    const refused = await prefs(w.bob, { frequencies: [{ category: 'confirmation', frequency: 'daily' }] });
    expect(refused).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });

    await subscribe(w.b.staff, 'b-staff-phone');
    await book(server, w.bob, w.b, slotAt(4, 8));
    await book(server, w.bob, w.b, slotAt(4, 9));
    await expect
      .poll(async () => (await heldOf(w.b.staff.user.id)).map((h) => `${h.channel}:${h.reason}`), POLL)
      .toEqual(['push:hourly', 'push:hourly']);
    now = nextDigestAt('hourly', start.toJSDate(), ZONE);
    await server.slotcast.deliveries.releaseHeld(now);
    await expect.poll(() => titles('b-staff-phone'), POLL).toEqual([`Vendor ${w.b.vendor.slug}: 2 new requests`]);
  });

  const rowsFor = (userId: string, n: number, tag: string): NewOutboxRow[] =>
    Array.from({ length: n }, (_, i) => ({
      userId,
      channel: 'push',
      kind: 'single',
      category: 'system',
      bookingId: null,
      title: `${tag} ${i}`,
      body: '',
      items: 1,
      dedupeKey: `${tag}:${i}`,
      dueAt: now,
    }));
  const nodeSender = async () =>
    new OutboxSender({
      db: server.slotcast.db,
      logger: pino({ level: 'silent' }),
      now: () => now,
      retryDelaysMs: [20],
      sweepMs: 0,
      leaseMs: LEASE_MS,
      senders: [
        pushChannel({
          db: server.slotcast.db,
          senders: (await createPushSenders(server.slotcast.config, pino({ level: 'silent' }), { ca: tlsCert }))
            .senders,
          actionTokens: new ActionTokens(TEST_JWT_SECRET, 300),
          logger: pino({ level: 'silent' }),
          now: () => now,
        }),
      ],
    });

  it('pushes each message once per device when several nodes claim the same outbox', async () => {
    const devices = ['b-owner-1', 'b-owner-2', 'b-owner-3'];
    for (const d of devices) await subscribe(w.b.owner, d);
    const [nodeA, nodeB] = await Promise.all([nodeSender(), nodeSender()]);
    await insertOutbox(server.slotcast.db, rowsFor(w.b.owner.user.id, 30, 'race'));
    // This node's own loop is woken by the insert's NOTIFY and races the two others.
    await Promise.all([nodeA.runOnce(), nodeB.runOnce(), server.slotcast.outbox!.runOnce()]);
    const race = (d: string) => payloads(d).filter((p) => p.title.startsWith('race '));
    for (const d of devices) await expect.poll(() => race(d).length, POLL).toBe(30);
    for (const d of devices) expect(new Set(race(d).map((p) => p.id)).size).toBe(30);
    await Promise.all([nodeA.stop(), nodeB.stop()]);
  });

  it('sends a message whose sender died once its lease ran out, skipping the device that already had it', async () => {
    const first = await subscribe(w.a.owner, 'a-owner-1');
    await subscribe(w.a.owner, 'a-owner-2');
    // A node claims the message, pushes it to the first device, records that, and dies before marking it sent.
    const claimed = await server.slotcast.db.transaction(async (tx) => {
      await insertOutbox(tx, rowsFor(w.a.owner.user.id, 1, 'lease'));
      const mine = (await claimDue(tx, 'push', now, LEASE_MS, 100)).filter((r) => r.userId === w.a.owner.user.id);
      await recordSends(tx, [{ subscriptionId: first.id, outboxId: mine[0]!.id }], now);
      return mine;
    });
    expect(claimed).toHaveLength(1);
    await server.slotcast.outbox!.runOnce();
    expect(webPush.to('a-owner-2')).toEqual([]);

    now = new Date(now.getTime() + LEASE_MS);
    await server.slotcast.outbox!.runOnce();
    await expect.poll(() => titles('a-owner-2'), POLL).toEqual(['lease 0']);
    // Sentinel: a later message reaches both devices after any second copy of the first would have.
    await insertOutbox(server.slotcast.db, rowsFor(w.a.owner.user.id, 1, 'after'));
    await expect.poll(() => titles('a-owner-2'), POLL).toEqual(['lease 0', 'after 0']);
    await expect.poll(() => titles('a-owner-1'), POLL).toEqual(['after 0']);
  });

  it('claims a newer message of a booking only once the older one is sent or waits for a retry', async () => {
    const [sentFirst, retriedFirst] = [randomUUID(), randomUUID()];
    const rows = [sentFirst, retriedFirst].flatMap((bookingId) =>
      rowsFor(w.admin.user.id, 2, bookingId).map((r) => ({ ...r, bookingId })),
    );
    const titlesOf = (rs: OutboxRow[]) => rs.map((r) => r.title);
    // All in one transaction, rolled back: this node's sender never sees these rows.
    const rolledBack = server.slotcast.db.transaction(async (tx) => {
      await insertOutbox(tx, rows);
      const claim = async () =>
        (await claimDue(tx, 'push', now, LEASE_MS, 100)).filter((r) => r.userId === w.admin.user.id);
      const olders = await claim();
      expect(titlesOf(olders)).toEqual([`${sentFirst} 0`, `${retriedFirst} 0`]);
      // The older ones are out (claimed by a sender): a second claimer, on any node, takes neither newer one.
      expect(await claim()).toEqual([]);
      expect(await markSent(tx, [olders[0]!.id], now)).toBe(true);
      expect(await deferOutbox(tx, [olders[1]!.id], new Date(now.getTime() + 60_000))).toBe(true);
      expect(titlesOf(await claim())).toEqual([`${sentFirst} 1`, `${retriedFirst} 1`]);
      throw new Error('rollback');
    });
    await expect(rolledBack).rejects.toThrow('rollback');
  });

  it('prunes sent and failed messages past retention, and never one still to send', async () => {
    const db = server.slotcast.db;
    const old = new Date(now.getTime() - 40 * 86_400_000);
    const rows = rowsFor(w.admin.user.id, 3, 'retention').map((r) => ({ ...r, channel: 'email' as const, dueAt: old }));
    await db.transaction(async (tx) => {
      await insertOutbox(tx, rows);
      // Claimed inside the transaction, so this node's sender (woken on commit) finds them taken.
      const [sent, failed] = (await claimDue(tx, 'email', old, 3_600_000, 100)).filter((r) =>
        r.dedupeKey.startsWith('retention:'),
      );
      await markSent(tx, [sent!.id], old);
      await markSent(tx, [failed!.id], old, 'failed');
    });
    const keys = async () =>
      (
        await db.query<{ dedupe_key: string }>(
          "SELECT dedupe_key FROM notification_outbox WHERE dedupe_key LIKE 'retention:%' ORDER BY dedupe_key",
        )
      ).map((r) => r.dedupe_key);
    expect(await keys()).toHaveLength(3);
    await pruneSentOutbox(db, new Date(now.getTime() - 30 * 86_400_000));
    expect(await keys()).toEqual(['retention:2']);
  });

  it('lets the cancellation of a booking starting within the user’s urgent hours break through quiet hours, and holds the rest', async () => {
    const night2 = night.plus({ days: 1 });
    at(night2);
    await subscribe(w.alice, 'alice-tablet');
    await prefs(w.alice, {
      quietHours: {
        timeZone: ZONE,
        windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '22:00', end: '07:00' }],
        urgentWithinHours: 24,
      },
    });
    // One starts within a day of the clock (early next morning), the other days later.
    const bookAt = async (startAt: string) => {
      const res = await book(server, w.alice, w.b, startAt);
      expect(res).toMatchObject({ status: 201 });
      return res.body as Booking;
    };
    const near = await bookAt(night2.plus({ hours: 6, minutes: 30 }).toUTC().toISO()!);
    const far = await bookAt(night2.plus({ days: 4, minutes: 30 }).toUTC().toISO()!);
    const cancel = async (b: Booking) => {
      const confirmed = (await confirm(w.b.owner, b)).body;
      const res = await api(server, 'POST', `/bookings/${b.id}/cancel`, {
        token: w.b.owner.token,
        body: { version: confirmed.version },
      });
      expect(res.status).toBe(200);
    };
    await cancel(far);
    await cancel(near);
    const fresh = () => payloads('alice-tablet');
    await expect
      .poll(() => fresh().map((p) => [p.title, p.bookingId]), POLL)
      .toEqual([['Your booking was cancelled', near.id]]);
    // The far cancellation waits for the morning. It was decided before the near one (the worker goes in id order,
    // and the near one's push is out), so it is held now, not on its way.
    const heldFar = await server.slotcast.db.query<{ n: number | string }>(
      `SELECT count(*) AS n FROM notification_held
       WHERE booking_id = $1 AND channel = 'push' AND title = 'Your booking was cancelled'`,
      [far.id],
    );
    expect(Number(heldFar[0]!.n)).toBe(1);
    // The sender has recorded the near one as sent: a clock moved eight hours while its send was still being recorded
    // would make its claim look expired and send it again.
    await expect
      .poll(async () => {
        const [row] = await server.slotcast.db.query<{ n: number | string }>(
          "SELECT count(*) AS n FROM notification_outbox WHERE booking_id = $1 AND channel = 'push' AND sent_at IS NULL",
          [near.id],
        );
        return Number(row!.n);
      }, POLL)
      .toBe(0);
    // The confirmations and the far cancellation wait for the morning; its digest is the sentinel.
    at(night2.plus({ days: 1 }).set({ hour: 7 }));
    await server.slotcast.deliveries.releaseHeld(now);
    await expect.poll(() => fresh().length, POLL).toBe(2);
    expect(fresh()[1]!.title).toMatch(/^While you were away: /);
  });
});
