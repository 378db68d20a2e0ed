import type { BookingStatus } from '@slotcast/protocol';
import type { Queryable } from './db.js';

export interface ReminderBooking {
  id: string;
  status: BookingStatus;
  startAt: Date;
  customerId: string;
  vendorId: string;
  serviceId: string;
  resourceId: string;
  timezone: string;
}

/** The current state of the bookings a batch of events mentions (events may arrive late or twice: state decides). */
export async function reminderBookings(db: Queryable, ids: string[]): Promise<Map<string, ReminderBooking>> {
  if (ids.length === 0) return new Map();
  const rows = await db.query<{
    id: string;
    status: BookingStatus;
    start_at: Date;
    customer_id: string;
    vendor_id: string;
    service_id: string;
    resource_id: string;
    timezone: string;
  }>(
    `SELECT b.id, b.status, b.start_at, b.customer_id, b.vendor_id, b.service_id, b.resource_id, r.timezone
       FROM bookings b JOIN resources r ON r.id = b.resource_id WHERE b.id = ANY($1::uuid[])`,
    [[...new Set(ids)]],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        status: r.status,
        startAt: r.start_at,
        customerId: r.customer_id,
        vendorId: r.vendor_id,
        serviceId: r.service_id,
        resourceId: r.resource_id,
        timezone: r.timezone,
      },
    ]),
  );
}

/** Customers' own offsets (absent: not chosen) and vendors' defaults (absent: not set), one query each. */
export async function offsetChoices(
  db: Queryable,
  customerIds: string[],
  vendorIds: string[],
): Promise<{ own: Map<string, number[]>; vendor: Map<string, number[]> }> {
  const [own, vendor] = await Promise.all([
    customerIds.length
      ? db.query<{ id: string; offsets: number[] }>(
          `SELECT user_id AS id, reminder_offsets_minutes AS offsets FROM notification_settings
            WHERE user_id = ANY($1::uuid[]) AND reminder_offsets_minutes IS NOT NULL`,
          [[...new Set(customerIds)]],
        )
      : [],
    vendorIds.length
      ? db.query<{ id: string; offsets: number[] }>(
          'SELECT vendor_id AS id, offsets_minutes AS offsets FROM vendor_reminder_defaults WHERE vendor_id = ANY($1::uuid[])',
          [[...new Set(vendorIds)]],
        )
      : [],
  ]);
  return {
    own: new Map(own.map((r) => [r.id, r.offsets.map(Number)])),
    vendor: new Map(vendor.map((r) => [r.id, r.offsets.map(Number)])),
  };
}

/**
 * Makes each booking's unsent reminders exactly its `wanted` ones for its current start: unsent rows of another start
 * time or offset go, missing ones come. Sent rows stay (they are the record that this booking × offset × start was
 * sent). Two statements for a worker's whole batch of bookings, not two per booking; each booking once.
 */
export async function replaceReminders(
  tx: Queryable,
  bookings: readonly {
    booking: { id: string; customerId: string; startAt: Date };
    wanted: readonly { offsetMinutes: number; dueAt: Date }[];
  }[],
): Promise<void> {
  if (bookings.length === 0) return;
  const rows = bookings.flatMap(({ booking: b, wanted }) => wanted.map((w) => ({ b, w })));
  await tx.query(
    `DELETE FROM reminders r WHERE r.booking_id = ANY($1::uuid[]) AND r.sent_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM unnest($2::uuid[], $3::int[], $4::timestamptz[]) AS w(b, o, s)
                         WHERE w.b = r.booking_id AND w.o = r.offset_minutes AND w.s = r.start_at)`,
    [
      bookings.map(({ booking }) => booking.id),
      rows.map(({ b }) => b.id),
      rows.map(({ w }) => w.offsetMinutes),
      rows.map(({ b }) => b.startAt),
    ],
  );
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO reminders (booking_id, customer_id, offset_minutes, start_at, due_at)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::timestamptz[], $5::timestamptz[])
     ON CONFLICT (booking_id, offset_minutes, start_at) DO NOTHING`,
    [
      rows.map(({ b }) => b.id),
      rows.map(({ b }) => b.customerId),
      rows.map(({ w }) => w.offsetMinutes),
      rows.map(({ b }) => b.startAt),
      rows.map(({ w }) => w.dueAt),
    ],
  );
}

export interface DueReminder {
  id: number;
  bookingId: string;
  customerId: string;
  offsetMinutes: number;
}

/**
 * Takes up to `limit` due reminders and marks them sent, in the caller's transaction (which also makes their
 * notifications). Rows another node has taken are skipped (SKIP LOCKED); if that node dies before committing, its
 * rows are unlocked and unsent, and the next run takes them. So each is sent once, across nodes and crashes.
 */
export async function takeDueReminders(tx: Queryable, now: Date, limit: number): Promise<DueReminder[]> {
  const rows = await tx.query<{ id: number; booking_id: string; customer_id: string; offset_minutes: number }>(
    `UPDATE reminders SET sent_at = $1
      WHERE id IN (
        SELECT id FROM reminders WHERE sent_at IS NULL AND due_at <= $1 ORDER BY due_at, id LIMIT $2
        FOR UPDATE SKIP LOCKED)
      RETURNING id, booking_id, customer_id, offset_minutes`,
    [now, limit],
  );
  return rows
    .map((r) => ({
      id: Number(r.id),
      bookingId: r.booking_id,
      customerId: r.customer_id,
      offsetMinutes: Number(r.offset_minutes),
    }))
    .sort((a, b) => a.id - b.id);
}
