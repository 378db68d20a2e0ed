import type { BookingStatus } from '@slotcast/protocol';
import type { BookingMailFacts } from '../mail/notification-mail.js';
import type { Queryable } from './db.js';

export interface MailRecipient {
  userId: string;
  email: string;
  name: string;
  /** The zone of their quiet hours, else UTC. */
  timeZone: string;
}

/** Who the email channel writes to, in one query for a claim. */
export async function mailRecipients(db: Queryable, userIds: readonly string[]): Promise<Map<string, MailRecipient>> {
  if (userIds.length === 0) return new Map();
  const rows = await db.query<{ id: string; email: string; name: string; time_zone: string | null }>(
    `SELECT u.id, u.email, u.name, s.time_zone FROM users u LEFT JOIN notification_settings s ON s.user_id = u.id
     WHERE u.id = ANY($1::uuid[])`,
    [[...userIds]],
  );
  return new Map(
    rows.map((r) => [r.id, { userId: r.id, email: r.email, name: r.name, timeZone: r.time_zone ?? 'UTC' }]),
  );
}

/** The bookings mails speak of, as they are now, with their vendor, resource and service names. */
export async function bookingMailFacts(
  db: Queryable,
  bookingIds: readonly string[],
): Promise<Map<string, BookingMailFacts>> {
  if (bookingIds.length === 0) return new Map();
  const rows = await db.query<{
    id: string;
    status: BookingStatus;
    start_at: Date;
    end_at: Date;
    timezone: string;
    vendor_name: string;
    resource_name: string;
    service_name: string | null;
    version: number;
  }>(
    `SELECT b.id, b.status, b.start_at, b.end_at, r.timezone, v.name AS vendor_name, r.name AS resource_name,
            s.name AS service_name, b.version
       FROM bookings b JOIN vendors v ON v.id = b.vendor_id JOIN resources r ON r.id = b.resource_id
       LEFT JOIN services s ON s.id = b.service_id
      WHERE b.id = ANY($1::uuid[])`,
    [[...bookingIds]],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        status: r.status,
        start: new Date(r.start_at),
        end: new Date(r.end_at),
        timeZone: r.timezone,
        vendorName: r.vendor_name,
        resourceName: r.resource_name,
        serviceName: r.service_name,
        version: Number(r.version),
      },
    ]),
  );
}
