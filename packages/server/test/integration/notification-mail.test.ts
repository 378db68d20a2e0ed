import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Booking, FrequencyReport, NotificationPreferences, Problem } from '@slotcast/protocol';
import ICAL from 'ical.js';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpMailer } from '../../src/mail/mailer.js';
import type { NotificationMailInput } from '../../src/mail/notification-mail.js';
import { UnsubscribeTokens } from '../../src/mail/unsubscribe-tokens.js';
import { markSent, type OutboxRow } from '../../src/store/deliveries-repo.js';
import { freePort } from '../cluster/support/services.js';
import { DB_KINDS } from '../support/databases.js';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../support/server.js';
import { headerOf, type ReceivedMail, startSmtpSink } from '../support/smtp-sink.js';
import { api, book, buildWorld, type Party, slotAt, type World } from '../support/world.js';

const RECIPIENT_ZONE = 'America/New_York';

describe.each(DB_KINDS)('notification mails over SMTP on %s', (kind) => {
  let server: TestServer;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let w: World;
  const logLines: string[] = [];
  // A web app to serve: booking links from mails land on its pages.
  const webDist = mkdtempSync(path.join(tmpdir(), 'slotcast-mail-web-'));
  writeFileSync(path.join(webDist, 'index.html'), '<!doctype html><title>Slotcast</title>');

  beforeAll(async () => {
    smtp = await startSmtpSink();
    const stream = new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    server = await startTestServer(
      kind,
      {
        MAIL_FROM: 'Slotcast <bookings@mail.test>',
        WEB_DIST: webDist,
        // Links in mails name the node's own address (no PUBLIC_URL), so it listens on a port known beforehand.
        PORT: String(await freePort()),
        // Through the real pipeline: the outbox's email sender composes and sends to the local SMTP server.
        SMTP_URL: smtp.smtpUrl,
        NOTIFY_BATCH_WINDOW_SECONDS: '0',
      },
      undefined,
      { logger: pino({ level: 'info' }, stream) },
    );
    w = await buildWorld(server);
    // Alice reads her mail in New York: her notification time zone is where mails give times.
    const zone = await api(server, 'PATCH', '/me/notification-preferences', {
      token: w.alice.token,
      body: { quietHours: { timeZone: RECIPIENT_ZONE, windows: [], urgentWithinHours: null } },
    });
    expect(zone.status).toBe(200);
  });
  afterAll(async () => {
    await server?.close();
    await smtp?.close();
    rmSync(webDist, { recursive: true, force: true });
  });

  /** The next notification mail the outbox's email sender delivered to `party` (mails carry their outbox row). */
  const seen = new Map<string, number>();
  const nextMail = async (party: Party): Promise<ReceivedMail> => {
    const outboxMails = () => smtp.to(party.user.email).filter((m) => headerOf(m, 'x-slotcast-message'));
    const n = seen.get(party.user.id) ?? 0;
    await expect.poll(() => outboxMails().length, { timeout: 15_000 }).toBeGreaterThan(n);
    seen.set(party.user.id, n + 1);
    return outboxMails()[n]!;
  };

  /** Composes with the server's composer, sends through the real SMTP mailer, returns the mail as received. */
  const deliver = async (party: Party, message: OutboxRow, booking: null) => {
    const input: NotificationMailInput = {
      recipient: { userId: party.user.id, email: party.user.email, name: party.user.name, timeZone: RECIPIENT_ZONE },
      message,
      booking,
      publicUrl: server.url,
    };
    const mail = await server.slotcast.notificationMail(input);
    const mailer = smtpMailer(smtp.smtpUrl, 'Slotcast <bookings@mail.test>');
    const messageId = `outbox:${message.id}:${randomUUID()}@slotcast`;
    await mailer.send({ ...mail, messageId });
    mailer.close();
    await markSent(server.slotcast.db, [message.id], new Date());
    await expect.poll(() => smtp.mails.some((m) => m.messageId === `<${messageId}>`)).toBe(true);
    return smtp.mails.find((m) => m.messageId === `<${messageId}>`)!;
  };

  const unsubscribeUrl = (mail: ReceivedMail) => {
    const header = headerOf(mail, 'list-unsubscribe');
    const url = /^<(https?:\/\/[^>]+)>/.exec(header ?? '')?.[1];
    if (!url) throw new Error(`no one-click link in List-Unsubscribe: ${header}`);
    return url;
  };
  const emailOn = async (party: Party, category: keyof NotificationPreferences['effective']) =>
    (await api<NotificationPreferences>(server, 'GET', '/me/notification-preferences', { token: party.token })).body
      .effective[category].email;
  const readIcs = (mail: ReceivedMail) => {
    const ics = mail.attachments.find((a) => a.contentType.startsWith('text/calendar'));
    if (!ics) throw new Error('no calendar attachment');
    const cal = new ICAL.Component(ICAL.parse(ics.content));
    const vevent = cal.getFirstSubcomponent('vevent')!;
    const event = new ICAL.Event(vevent);
    return {
      method: cal.getFirstPropertyValue('method'),
      uid: event.uid,
      sequence: event.sequence,
      status: vevent.getFirstPropertyValue('status'),
      start: event.startDate.toJSDate().toISOString(),
      end: event.endDate.toJSDate().toISOString(),
      utc: event.startDate.zone?.tzid === 'UTC' && event.endDate.zone?.tzid === 'UTC',
    };
  };

  let confirmed: { booking: Booking; mail: ReceivedMail };

  it('mails a confirmation with one-click unsubscribe headers, links, times in the recipient’s zone and an .ics', async () => {
    const booking = (await book(server, w.alice, w.a, slotAt(3, 14))).body as Booking;
    await api(server, 'POST', `/bookings/${booking.id}/confirm`, { token: w.a.owner.token, body: { version: 1 } });
    const mail = await nextMail(w.alice);
    confirmed = { booking, mail };

    expect(mail.subject).toBe(`Booking confirmed · ${w.a.vendor.name}`);
    expect(headerOf(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(unsubscribeUrl(mail)).toMatch(new RegExp(`^${server.url}/api/v1/mail/unsubscribe\\?token=[\\w.%-]{40,}$`));
    expect(headerOf(mail, 'auto-submitted')).toBe('auto-generated');
    const when = new Intl.DateTimeFormat('en-GB', {
      timeZone: RECIPIENT_ZONE,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(booking.startAt));
    expect(mail.text).toContain(`${when}–`);
    expect(mail.text).toContain(`(${RECIPIENT_ZONE})`);
    for (const body of [mail.text, mail.html]) {
      expect(body).toContain(`${server.url}/bookings/${booking.id}`);
      expect(body).toContain(`${server.url}/settings/notifications`);
      expect(body).toContain('/api/v1/mail/unsubscribe?token=');
    }
    expect(mail.html).toMatch(/<html lang="en">.*<title>/);

    const ics = readIcs(mail);
    expect(ics).toEqual({
      method: 'PUBLISH',
      uid: `booking-${booking.id}@127.0.0.1`,
      sequence: 2,
      status: 'CONFIRMED',
      start: booking.startAt,
      end: booking.endAt,
      utc: true,
    });
  });

  it('moves the calendar event on reschedule: same UID, higher SEQUENCE, the new time', async () => {
    const { booking } = confirmed;
    const moved = await api<Booking>(server, 'POST', `/bookings/${booking.id}/reschedule`, {
      token: w.a.owner.token,
      body: { version: 2, startAt: slotAt(4, 15) },
    });
    expect(moved.status).toBe(200);
    const mail = await nextMail(w.alice);
    const ics = readIcs(mail);
    expect(ics.uid).toBe(readIcs(confirmed.mail).uid);
    expect(ics.sequence).toBe(3);
    expect(ics.sequence).toBeGreaterThan(readIcs(confirmed.mail).sequence);
    expect(ics.start).toBe(moved.body.startAt);
    expect(ics.end).toBe(moved.body.endAt);
  });

  it('shows a confirmation page on GET without changing anything, and turns the category’s email off on the one-click POST', async () => {
    const url = unsubscribeUrl(confirmed.mail);
    expect(await emailOn(w.alice, 'confirmation')).toBe(true);

    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).toContain('booking confirmations');
    expect(html).toContain('name="List-Unsubscribe" value="One-Click"');
    expect(await emailOn(w.alice, 'confirmation')).toBe(true);

    // As a mail provider sends it (RFC 8058): no cookie, no authorization, just the form.
    const posted = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(posted.status).toBe(200);
    expect(await posted.text()).toContain('You will no longer get emails about booking confirmations');
    expect(await emailOn(w.alice, 'confirmation')).toBe(false);
    // Only that cell: in-app and push of the category, and email of other categories, stay as they were.
    const prefs = (
      await api<NotificationPreferences>(server, 'GET', '/me/notification-preferences', { token: w.alice.token })
    ).body;
    expect(prefs.effective.confirmation.in_app).toBe(true);
    expect(prefs.effective.change.email).toBe(true);
    expect(prefs.own).toEqual([{ category: 'confirmation', channel: 'email', enabled: false }]);

    // A second use answers the same and records no second "turned off".
    const again = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(again.status).toBe(200);
    const changes = await server.slotcast.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM notification_preference_changes WHERE user_id = $1 AND category = 'confirmation'`,
      [w.alice.user.id],
    );
    expect(changes[0]!.n).toBe(1);
  });

  it('accepts the multipart form of RFC 8058’s example', async () => {
    const token = await new UnsubscribeTokens(TEST_JWT_SECRET).sign({ userId: w.bob.user.id, category: 'reminder' });
    const form = new FormData();
    form.set('List-Unsubscribe', 'One-Click');
    const res = await fetch(`${server.url}/api/v1/mail/unsubscribe?token=${token}`, { method: 'POST', body: form });
    expect(res.status).toBe(200);
    expect(await emailOn(w.bob, 'reminder')).toBe(false);
  });

  it('refuses forged, expired, foreign and session tokens with problem+json, and a deleted user with 404', async () => {
    const good = new URL(unsubscribeUrl(confirmed.mail)).searchParams.get('token')!;
    const [h, p, sig] = good.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const otherUser = Buffer.from(JSON.stringify({ ...claims, sub: w.bob.user.id })).toString('base64url');
    const now = new Date();
    const tokens = {
      tampered: `${h}.${otherUser}.${sig}`,
      otherSecret: await new UnsubscribeTokens('another-secret-another-secret-0123456789').sign({
        userId: w.bob.user.id,
        category: 'change',
      }),
      expired: await new UnsubscribeTokens(TEST_JWT_SECRET).sign(
        { userId: w.bob.user.id, category: 'change' },
        new Date(now.getTime() - 200 * 86_400_000),
      ),
      accessToken: w.bob.token,
      garbage: 'x'.repeat(40),
    };
    for (const [name, token] of Object.entries(tokens)) {
      for (const method of ['GET', 'POST']) {
        const res = await fetch(`${server.url}/api/v1/mail/unsubscribe?token=${encodeURIComponent(token)}`, {
          method,
          ...(method === 'POST'
            ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' }
            : {}),
        });
        expect(res.status, `${method} ${name}`).toBe(400);
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(((await res.json()) as Problem).code).toBe('AUTH_LINK_INVALID');
      }
    }
    expect(await emailOn(w.bob, 'change')).toBe(true);

    const ghost = await new UnsubscribeTokens(TEST_JWT_SECRET).sign({ userId: randomUUID(), category: 'change' });
    const gone = await fetch(`${server.url}/api/v1/mail/unsubscribe?token=${ghost}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as Problem).code).toBe('NOT_FOUND');

    // Forms are read on this route only: everywhere else a form post (which a cross-site page can send) is refused.
    const formElsewhere = await fetch(`${server.url}/api/v1/me/notification-preferences`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${w.bob.token}` },
      body: 'settings=',
    });
    expect(formElsewhere.status).toBe(415);
  });

  it('gives a digest of several categories a link to the preferences screen and no one-category unsubscribe', async () => {
    const digest: OutboxRow = {
      id: 999_999,
      userId: w.bob.user.id,
      channel: 'email',
      kind: 'digest',
      category: null,
      bookingId: null,
      title: 'While you were away: 3 bookings changed',
      body: 'Booking confirmed; Booking moved; Booking cancelled',
      items: 3,
      dedupeKey: 'digest:1',
      dueAt: new Date(),
      attempts: 1,
      claimedUntil: new Date(),
    };
    const mail = await deliver(w.bob, digest, null);
    expect(mail.subject).toBe('While you were away: 3 bookings changed');
    expect(headerOf(mail, 'list-unsubscribe')).toBeUndefined();
    expect(mail.text).toContain(`${server.url}/settings/notifications`);
    expect(mail.text).toContain(`${server.url}/notifications`);
    expect(mail.attachments).toEqual([]);
  });

  it('never writes an unsubscribe token to the log', () => {
    const token = new URL(unsubscribeUrl(confirmed.mail)).searchParams.get('token')!;
    expect(logLines.join('')).toContain('/api/v1/mail/unsubscribe');
    expect(logLines.join('')).not.toContain(token.split('.')[2]);
  });

  it('counts a followed booking link as the mail opened, once; a forged mark counts nothing', async () => {
    const report = async () => {
      const res = await api<FrequencyReport>(
        server,
        'GET',
        `/admin/notification-frequency?from=${new Date(Date.now() - 3_600_000).toISOString()}&to=${new Date(Date.now() + 3_600_000).toISOString()}`,
        { token: w.admin.token },
      );
      return res.body.categories.find((c) => c.category === 'confirmation')!;
    };
    expect(await report()).toMatchObject({ emailSent: 1, emailOpened: 0 });
    const link = /Open the booking: (\S+)/.exec(confirmed.mail.text)![1]!;
    const url = new URL(link);
    expect(url.pathname).toBe(`/bookings/${confirmed.booking.id}`);
    const mark = url.searchParams.get('n')!;
    expect(mark).toMatch(/^\d+\.[\w-]{22}$/);

    // The same message id with a made-up MAC, and no mark at all: nothing counted, the page still served.
    const forged = `${mark.split('.')[0]}.${'A'.repeat(22)}`;
    expect((await fetch(`${server.url}${url.pathname}?n=${forged}`)).status).toBe(200);
    expect((await fetch(`${server.url}${url.pathname}?n=garbage`)).status).toBe(200);
    expect(await report()).toMatchObject({ emailSent: 1, emailOpened: 0 });

    expect((await fetch(link)).status).toBe(200);
    expect(await report()).toMatchObject({ emailSent: 1, emailOpened: 1 });
    await fetch(link);
    expect(await report()).toMatchObject({ emailSent: 1, emailOpened: 1 });
  });
});
