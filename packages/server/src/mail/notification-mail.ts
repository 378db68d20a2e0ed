import type { BookingStatus } from '@slotcast/protocol';
import { DateTime } from 'luxon';
import type { OutboxRow } from '../store/deliveries-repo.js';

/** What a mail about one booking may say of it, read when the mail is composed (not when the event happened). */
export interface BookingMailFacts {
  id: string;
  status: BookingStatus;
  start: Date;
  end: Date;
  timeZone: string;
  vendorName: string;
  resourceName: string;
  serviceName: string | null;
  version: number;
}

export interface NotificationMailInput {
  recipient: { userId: string; email: string; name: string; timeZone: string };
  message: OutboxRow;
  /** Filled for a single message about one booking; null for digests and messages without a booking. */
  booking: BookingMailFacts | null;
  /** The web app's origin (config PUBLIC_URL), for links. */
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

/** Injected at wiring time: the email channel of the outbox sender calls it for every message it mails. */
export type ComposeNotificationMail = (input: NotificationMailInput) => Promise<OutgoingMail>;

/**
 * A plain-text notification mail: greeting, the message, the booking's time in the recipient's zone, and links to the
 * booking (or the notification history) and to the preferences screen.
 */
export async function plainNotificationMail(input: NotificationMailInput): Promise<OutgoingMail> {
  const { recipient, message, booking } = input;
  const origin = input.publicUrl.replace(/\/$/, '');
  const lines = [`Hello ${recipient.name},`, '', message.title, '', message.body];
  if (booking) {
    const start = DateTime.fromJSDate(booking.start, { zone: recipient.timeZone });
    const what = [booking.serviceName, booking.resourceName].filter(Boolean).join(' with ');
    lines.push(
      '',
      `${booking.vendorName}: ${what}, ${start.toFormat("cccc d LLLL yyyy 'at' HH:mm")} (${recipient.timeZone})`,
    );
  }
  const link = message.bookingId ? `${origin}/bookings/${message.bookingId}` : `${origin}/notifications`;
  lines.push('', `Open in Slotcast: ${link}`, `Choose what we send you: ${origin}/preferences`);
  return {
    to: recipient.email,
    subject: message.title,
    text: `${lines.join('\n')}\n`,
    headers: { 'X-Slotcast-Category': message.category ?? 'digest' },
  };
}
