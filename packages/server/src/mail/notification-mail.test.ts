import type { BookingStatus, NotificationCategory } from '@slotcast/protocol';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { ActionTokens } from '../push/action-tokens.js';
import type { OutboxRow } from '../store/deliveries-repo.js';
import {
  type BookingMailFacts,
  createNotificationMailComposer,
  formatSpan,
  type NotificationMailInput,
  plainNotificationMail,
} from './notification-mail.js';
import { UnsubscribeTokens } from './unsubscribe-tokens.js';

const SECRET = 'unit-secret-unit-secret-unit-secret-0123';
const tokens = new UnsubscribeTokens(SECRET);
const compose = createNotificationMailComposer({
  unsubscribeTokens: tokens,
  fromAddress: 'bookings@mail.test',
  now: () => new Date('2026-11-01T09:00:00Z'),
});

const booking = (status: BookingStatus, over: Partial<BookingMailFacts> = {}): BookingMailFacts => ({
  id: '0b6a6d1e-5d1c-4b8e-9f4e-2f0f6f3c9a10',
  status,
  start: new Date('2026-11-03T13:00:00Z'),
  end: new Date('2026-11-03T14:00:00Z'),
  timeZone: 'Europe/Berlin',
  vendorName: 'Studio <Mira> & Co',
  resourceName: 'Chair 1',
  serviceName: 'Haircut',
  version: 2,
  ...over,
});
const row = (category: NotificationCategory | null, kind: 'single' | 'digest' = 'single'): OutboxRow => ({
  id: 41,
  userId: '6f1d9c1e-1111-4b8e-9f4e-2f0f6f3c9a10',
  channel: 'email',
  kind,
  category,
  bookingId: null,
  title: 'Booking confirmed',
  body: 'Haircut · Tue 3 Nov, 14:00 (Chair 1)',
  items: 1,
  dedupeKey: 'event:1',
  dueAt: new Date('2026-11-01T09:00:00Z'),
  attempts: 1,
  claimedUntil: new Date('2026-11-01T09:01:00Z'),
});
const input = (message: OutboxRow, b: BookingMailFacts | null): NotificationMailInput => ({
  recipient: { userId: message.userId, email: 'ana@example.test', name: 'Ana', timeZone: 'Asia/Tokyo' },
  message,
  booking: b,
  publicUrl: 'https://book.example.test/',
});

describe('notification mail composer', () => {
  it.each([
    ['confirmation', 'confirmed', 'PUBLISH'],
    ['change', 'confirmed', 'PUBLISH'],
    ['cancellation', 'cancelled', 'CANCEL'],
    ['change', 'requested', null],
    ['reminder', 'confirmed', null],
    ['decline', 'declined', null],
    // A confirmation mail sent late, after the booking was cancelled, must not put it back in the calendar.
    ['confirmation', 'cancelled', null],
  ] as const)('a %s mail about a %s booking carries calendar method %s', async (category, status, method) => {
    const mail = await compose(input(row(category), booking(status)));
    const ics = mail.attachments?.find((a) => a.contentType.startsWith('text/calendar'));
    if (!method) return expect(ics).toBeUndefined();
    expect(ics?.contentType).toBe(`text/calendar; charset=utf-8; method=${method}`);
    const cal = new ICAL.Component(ICAL.parse(ics!.content));
    expect(cal.getFirstPropertyValue('method')).toBe(method);
    const ev = new ICAL.Event(cal.getFirstSubcomponent('vevent')!);
    expect(ev.uid).toBe('booking-0b6a6d1e-5d1c-4b8e-9f4e-2f0f6f3c9a10@book.example.test');
    expect(ev.sequence).toBe(2);
    expect(ev.startDate.toJSDate().toISOString()).toBe('2026-11-03T13:00:00.000Z');
  });

  it('writes the time in the recipient’s zone, and escapes names in the HTML', async () => {
    const mail = await compose(input(row('confirmation'), booking('confirmed')));
    expect(mail.text).toContain('When: Tue, 3 Nov 2026, 22:00–23:00 (Asia/Tokyo)');
    expect(mail.html).toContain('Studio &lt;Mira&gt; &amp; Co');
    expect(mail.html).not.toContain('<Mira>');
    expect(mail.text).toContain('https://book.example.test/bookings/0b6a6d1e-5d1c-4b8e-9f4e-2f0f6f3c9a10');
  });

  it('signs an unsubscribe link for exactly the mail’s user and category, email channel', async () => {
    const mail = await compose(input(row('reminder'), booking('confirmed')));
    const href = /^<([^>]+)>$/.exec(mail.headers['List-Unsubscribe']!)![1]!;
    expect(mail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const token = new URL(href).searchParams.get('token')!;
    expect(await tokens.verify(token)).toEqual({
      userId: row('reminder').userId,
      category: 'reminder',
      channel: 'email',
    });
  });

  it('refuses tokens of other kinds and other keys as unsubscribe tokens', async () => {
    const action = await new ActionTokens(SECRET, 600).sign({
      userId: row(null).userId,
      bookingId: booking('confirmed').id,
      action: 'cancel',
      version: 2,
    });
    await expect(tokens.verify(action)).rejects.toMatchObject({ code: 'AUTH_LINK_INVALID' });
    const foreign = await new UnsubscribeTokens(`${SECRET}-other`).sign({
      userId: row(null).userId,
      category: 'system',
    });
    await expect(tokens.verify(foreign)).rejects.toMatchObject({ code: 'AUTH_LINK_INVALID' });
  });

  it('gives a digest of several categories no unsubscribe header, and the minimal mail none at all', async () => {
    const digest = await compose(input(row(null, 'digest'), null));
    expect(digest.headers['List-Unsubscribe']).toBeUndefined();
    expect(digest.text).toContain('https://book.example.test/settings/notifications');
    const plain = await plainNotificationMail(input(row('confirmation'), booking('confirmed')));
    expect(plain.headers).toEqual({});
    expect(plain.text).toContain('/bookings/0b6a6d1e-5d1c-4b8e-9f4e-2f0f6f3c9a10');
  });

  it('formats a span across a DST change on the wall clock of the zone', () => {
    // 01:30 EDT to 01:30 EST: two hours apart, the same wall time.
    expect(formatSpan(new Date('2026-11-01T05:30:00Z'), new Date('2026-11-01T06:30:00Z'), 'America/New_York')).toBe(
      'Sun, 1 Nov 2026, 01:30 GMT-4–01:30 GMT-5 (America/New_York)',
    );
  });
});
