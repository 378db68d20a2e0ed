import {
  API_PREFIX,
  APP_PATHS,
  type BookingStatus,
  bookingPath,
  NOTIFICATION_MAILS,
  type NotificationMailParams,
  ROUTES,
} from '@slotcast/protocol';
import type { OutboxRow } from '../store/deliveries-repo.js';
import { calendarInvite } from './calendar-invite.js';
import type { MailOpenMarks } from './open-marks.js';
import type { UnsubscribeTokens } from './unsubscribe-tokens.js';

/** What a mail says about its booking (read by the sender when it claims the outbox row). */
export interface BookingMailFacts {
  id: string;
  status: BookingStatus;
  start: Date;
  end: Date;
  /** The resource's zone (the recipient's own zone is in `recipient`). */
  timeZone: string;
  vendorName: string;
  resourceName: string;
  serviceName: string | null;
  version: number;
}

export interface NotificationMailInput {
  recipient: { userId: string; email: string; name: string; timeZone: string };
  message: OutboxRow;
  booking: BookingMailFacts | null;
  /** The web app's origin (config PUBLIC_URL). */
  publicUrl: string;
}

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers: Record<string, string>;
  attachments?: { filename: string; content: string; contentType: string }[];
}

export type ComposeNotificationMail = (input: NotificationMailInput) => Promise<OutgoingMail>;

/** The query parameter of a mail's booking link that marks the message as opened (see open-marks.ts). */
export const MAIL_OPEN_PARAM = 'n';

const origin = (publicUrl: string) => publicUrl.replace(/\/+$/, '');

/** The bare minimum: the message and a link to its booking, no unsubscribe, no calendar file. */
export async function plainNotificationMail(input: NotificationMailInput): Promise<OutgoingMail> {
  const { message, booking } = input;
  const link = booking ? `\n\n${origin(input.publicUrl)}${bookingPath(booking.id)}` : '';
  return { to: input.recipient.email, subject: message.title, text: `${message.body}${link}\n`, headers: {} };
}

export interface NotificationMailDeps {
  unsubscribeTokens: UnsubscribeTokens;
  /** The sending address (from MAIL_FROM): the calendar file's organizer. */
  fromAddress: string;
  /** An optional `mailto:` offered besides the one-click link in List-Unsubscribe (RFC 2369). */
  unsubscribeMailto?: string;
  /** Marks the booking link with `n=<outbox id>.<mac>`: following it counts as opening the message. */
  openMarks?: MailOpenMarks;
  now?: () => Date;
}

/**
 * The full notification mail: text and HTML from the protocol's catalogue (NOTIFICATION_MAILS), times in the
 * recipient's zone, links to the booking and to the preferences screen; for a mail about one category a one-click
 * unsubscribe (RFC 8058) for that category's email; for confirmed, moved and cancelled bookings an .ics file.
 */
export function createNotificationMailComposer(deps: NotificationMailDeps): ComposeNotificationMail {
  const now = deps.now ?? (() => new Date());
  return async ({ recipient, message, booking, publicUrl }) => {
    const base = origin(publicUrl);
    const at = now();
    const headers: Record<string, string> = {
      // RFC 3834: machine-made; out-of-office responders do not answer it.
      'Auto-Submitted': 'auto-generated',
    };
    let unsubscribe: NotificationMailParams['unsubscribe'] = null;
    // A digest of several categories has no single category to stop: it links to the preferences screen instead.
    if (message.category) {
      const token = await deps.unsubscribeTokens.sign({ userId: recipient.userId, category: message.category }, at);
      const href = `${base}${API_PREFIX}${ROUTES.unsubscribe.path}?token=${encodeURIComponent(token)}`;
      unsubscribe = { href, category: message.category };
      headers['List-Unsubscribe'] = [
        `<${href}>`,
        ...(deps.unsubscribeMailto ? [`<${deps.unsubscribeMailto}>`] : []),
      ].join(', ');
      headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
    }
    const preferencesLink = `${base}${APP_PATHS.notificationSettings}`;
    if (message.kind === 'digest' || !booking) {
      const content = NOTIFICATION_MAILS.digest({
        name: recipient.name,
        title: message.title,
        body: message.body,
        link: booking
          ? { href: `${base}${bookingPath(booking.id)}`, label: 'Open the booking' }
          : { href: `${base}${APP_PATHS.notifications}`, label: 'See your notifications' },
        preferencesLink,
        unsubscribe,
      });
      return { to: recipient.email, ...content, headers };
    }

    const bookingUrl = `${base}${bookingPath(booking.id)}`;
    const followed = deps.openMarks
      ? `${bookingUrl}?${MAIL_OPEN_PARAM}=${encodeURIComponent(deps.openMarks.sign(message.id))}`
      : bookingUrl;
    const calendar = calendarChange(message, booking);
    const what = booking.serviceName ?? booking.resourceName;
    const content = NOTIFICATION_MAILS.single({
      name: recipient.name,
      title: `${message.title} · ${booking.vendorName}`,
      body: message.body,
      when: formatSpan(booking.start, booking.end, recipient.timeZone),
      where: `${booking.resourceName}, ${booking.vendorName}`,
      link: { href: followed, label: 'Open the booking' },
      preferencesLink,
      unsubscribe,
      calendar,
    });
    const attachments = calendar
      ? [
          calendarInvite(
            {
              id: booking.id,
              start: booking.start,
              end: booking.end,
              version: booking.version,
              summary: `${what} · ${booking.vendorName}`,
              location: `${booking.resourceName}, ${booking.vendorName}`,
              url: bookingUrl,
            },
            {
              host: new URL(base).hostname,
              organizer: { name: booking.vendorName, email: deps.fromAddress },
              cancel: calendar === 'remove',
              now: at,
            },
          ),
        ]
      : undefined;
    return { to: recipient.email, ...content, headers, ...(attachments ? { attachments } : {}) };
  };
}

/** Which calendar file a single mail carries: the booking as it stands now, so a late mail never undoes a change. */
function calendarChange(message: OutboxRow, b: BookingMailFacts): NotificationMailParams['calendar'] {
  if (b.status === 'confirmed' && message.category === 'confirmation') return 'add';
  if (b.status === 'confirmed' && message.category === 'change') return 'update';
  if (b.status === 'cancelled' && message.category === 'cancellation') return 'remove';
  return null;
}

/**
 * "Tue, 3 Dec 2026, 14:00–15:00 (Europe/Berlin)": the recipient's wall clock, with the zone named. When the zone's
 * offset changes in between (a DST night), each time names its offset ("01:30 GMT-4–01:30 GMT-5"), never one bare time.
 */
export function formatSpan(start: Date, end: Date, timeZone: string): string {
  const day = formatter(timeZone, 'day');
  const offsetChanges = zoneName(start, timeZone) !== zoneName(end, timeZone);
  const time = formatter(timeZone, offsetChanges ? 'time-offset' : 'time');
  const sameDay = day.format(start) === day.format(end);
  const span = sameDay
    ? `${day.format(start)}, ${time.format(start)}–${time.format(end)}`
    : `${day.format(start)}, ${time.format(start)} – ${day.format(end)}, ${time.format(end)}`;
  return `${span} (${timeZone})`;
}

const zoneName = (d: Date, timeZone: string) =>
  formatter(timeZone, 'zone')
    .formatToParts(d)
    .find((p) => p.type === 'timeZoneName')?.value;

type Shape = 'day' | 'time' | 'time-offset' | 'zone';

const SHAPES: Record<Shape, [locale: string, Intl.DateTimeFormatOptions]> = {
  day: ['en-GB', { hourCycle: 'h23', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }],
  time: ['en-GB', { hourCycle: 'h23', hour: '2-digit', minute: '2-digit' }],
  'time-offset': ['en-GB', { hourCycle: 'h23', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }],
  zone: ['en-US', { timeZoneName: 'short' }],
};

/** Building an Intl.DateTimeFormat costs far more than formatting with one: kept per zone and shape (few zones). */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, shape: Shape): Intl.DateTimeFormat {
  const key = `${shape} ${timeZone}`;
  let f = formatters.get(key);
  if (!f) {
    if (formatters.size >= 1000) formatters.clear();
    const [locale, opts] = SHAPES[shape];
    f = new Intl.DateTimeFormat(locale, { ...opts, timeZone });
    formatters.set(key, f);
  }
  return f;
}
