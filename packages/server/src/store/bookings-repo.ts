import type { Booking, BookingStatus } from '@slotcast/protocol';
import { ACTIVE_STATUSES } from '@slotcast/protocol';
import type { Queryable } from './db.js';

interface BookingRow {
  id: string;
  vendor_id: string;
  resource_id: string;
  service_id: string;
  customer_id: string;
  status: BookingStatus;
  start_at: Date;
  end_at: Date;
  block_start: Date;
  block_end: Date;
  version: number;
  note: string | null;
  price_minor: number;
  currency: string;
  status_reason: string | null;
  updated_by_user: string | null;
  updated_by_role: Booking['updatedBy']['role'];
  created_at: Date;
  updated_at: Date;
  timezone: string;
}

const COLUMNS = `b.*, r.timezone`;
// The written row and its resource's zone in one statement, instead of reading the booking back.
const RETURNING = `*, (SELECT timezone FROM resources WHERE resources.id = bookings.resource_id) AS timezone`;
const FROM = `bookings b JOIN resources r ON r.id = b.resource_id`;

export const toBooking = (r: BookingRow): Booking => ({
  id: r.id,
  vendorId: r.vendor_id,
  resourceId: r.resource_id,
  serviceId: r.service_id,
  customerId: r.customer_id,
  status: r.status,
  startAt: r.start_at.toISOString(),
  endAt: r.end_at.toISOString(),
  timezone: r.timezone,
  version: r.version,
  note: r.note,
  priceMinor: Number(r.price_minor),
  currency: r.currency,
  statusReason: r.status_reason,
  updatedBy: { userId: r.updated_by_user, role: r.updated_by_role },
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

export interface NewBooking {
  vendorId: string;
  resourceId: string;
  serviceId: string;
  customerId: string;
  status: BookingStatus;
  startAt: Date;
  endAt: Date;
  blockStart: Date;
  blockEnd: Date;
  note: string | null;
  priceMinor: number;
  currency: string;
  actorUserId: string | null;
  actorRole: Booking['updatedBy']['role'];
  expiresAt: Date | null;
}

/**
 * Writers on one resource take this transaction-scoped lock before they insert or move a booking there. Without it,
 * two concurrent inserts of overlapping slots each find the other's uncommitted row while checking the exclusion
 * constraint, wait on each other, and one dies of a deadlock (40P01, a 500) instead of losing with 409. Serialised,
 * the second insert finds the first committed and fails cleanly with 23P01. Two int4 keys: a namespace and the
 * resource's hash (a collision only serialises two resources needlessly). The event log's lock is a bigint key, a
 * separate key space.
 */
const RESOURCE_LOCK_NAMESPACE = 7_263_002;
const LOCK_RESOURCE = `pg_advisory_xact_lock(${RESOURCE_LOCK_NAMESPACE}, hashtext($1::uuid::text))`;

/** Takes the resource's writer lock until the transaction ends (reschedule: before the UPDATE that moves a booking). */
export async function lockResource(tx: Queryable, resourceId: string): Promise<void> {
  await tx.query(`SELECT ${LOCK_RESOURCE}`, [resourceId]);
}

// The lock and the insert in one round trip: the insert reads from the lock's row, so it runs after the lock is held.
const INSERT_BOOKING = `WITH resource_lock AS (SELECT ${LOCK_RESOURCE.replace('$1', '$2')})
  INSERT INTO bookings (vendor_id, resource_id, service_id, customer_id, status, start_at, end_at, block_start, block_end,
    note, price_minor, currency, updated_by_user, updated_by_role, expires_at)
  SELECT $1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::text, $6::timestamptz, $7::timestamptz, $8::timestamptz,
    $9::timestamptz, $10::text, $11::int8, $12::text, $13::uuid, $14::text, $15::timestamptz
    FROM resource_lock
  RETURNING ${RETURNING}`;

/** Inserts a booking under its resource's writer lock (see RESOURCE_LOCK_NAMESPACE). */
export async function insertBooking(tx: Queryable, b: NewBooking): Promise<Booking> {
  const [row] = await tx.query<BookingRow>(INSERT_BOOKING, [
    b.vendorId,
    b.resourceId,
    b.serviceId,
    b.customerId,
    b.status,
    b.startAt,
    b.endAt,
    b.blockStart,
    b.blockEnd,
    b.note,
    b.priceMinor,
    b.currency,
    b.actorUserId,
    b.actorRole,
    b.expiresAt,
  ]);
  return toBooking(row!);
}

export async function getBooking(db: Queryable, id: string, forUpdate = false): Promise<Booking | null> {
  const [row] = await db.query<BookingRow>(
    `SELECT ${COLUMNS} FROM ${FROM} WHERE b.id = $1${forUpdate ? ' FOR UPDATE OF b' : ''}`,
    [id],
  );
  return row ? toBooking(row) : null;
}

/** Several bookings in one query (a worker's batch); missing ids are simply absent. */
export async function getBookings(db: Queryable, ids: readonly string[]): Promise<Map<string, Booking>> {
  if (ids.length === 0) return new Map();
  const rows = await db.query<BookingRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE b.id = ANY($1::uuid[])`, [[...ids]]);
  return new Map(rows.map((r) => [r.id, toBooking(r)]));
}

export interface BookingChange {
  status: BookingStatus;
  reason: string | null;
  actorUserId: string | null;
  actorRole: Booking['updatedBy']['role'];
  /** On reschedule. */
  time?: { resourceId: string; startAt: Date; endAt: Date; blockStart: Date; blockEnd: Date };
}

/** Applies a change if the row is still at `expectedVersion`; null means someone else changed it first. */
export async function updateBooking(
  tx: Queryable,
  id: string,
  expectedVersion: number,
  c: BookingChange,
): Promise<Booking | null> {
  const [row] = await tx.query<BookingRow>(
    `UPDATE bookings SET status = $3, status_reason = $4, updated_by_user = $5, updated_by_role = $6,
       resource_id = coalesce($7, resource_id), start_at = coalesce($8, start_at), end_at = coalesce($9, end_at),
       block_start = coalesce($10, block_start), block_end = coalesce($11, block_end),
       expires_at = CASE WHEN $3 = 'requested' THEN expires_at ELSE NULL END,
       version = version + 1, updated_at = clock_timestamp()
     WHERE id = $1 AND version = $2 RETURNING ${RETURNING}`,
    [
      id,
      expectedVersion,
      c.status,
      c.reason,
      c.actorUserId,
      c.actorRole,
      c.time?.resourceId ?? null,
      c.time?.startAt ?? null,
      c.time?.endAt ?? null,
      c.time?.blockStart ?? null,
      c.time?.blockEnd ?? null,
    ],
  );
  return row ? toBooking(row) : null;
}

export interface BookingFilter {
  vendorId?: string;
  customerId?: string;
  statuses?: BookingStatus[];
  resourceId?: string;
  from?: Date;
  to?: Date;
  /** Keyset cursor: (startAt, id) of the last item of the previous page. */
  after?: { startAt: Date; id: string };
  limit: number;
}

export async function listBookings(db: Queryable, f: BookingFilter): Promise<Booking[]> {
  const rows = await db.query<BookingRow>(
    `SELECT ${COLUMNS} FROM ${FROM}
      WHERE ($1::uuid IS NULL OR b.vendor_id = $1)
        AND ($2::uuid IS NULL OR b.customer_id = $2)
        AND ($3::text[] IS NULL OR b.status = ANY($3))
        AND ($4::uuid IS NULL OR b.resource_id = $4)
        AND ($5::timestamptz IS NULL OR b.end_at > $5)
        AND ($6::timestamptz IS NULL OR b.start_at < $6)
        AND ($7::timestamptz IS NULL OR (b.start_at, b.id) > ($7, $8::uuid))
      ORDER BY b.start_at, b.id
      LIMIT $9`,
    [
      f.vendorId ?? null,
      f.customerId ?? null,
      f.statuses ?? null,
      f.resourceId ?? null,
      f.from ?? null,
      f.to ?? null,
      f.after?.startAt ?? null,
      f.after?.id ?? null,
      f.limit,
    ],
  );
  return rows.map(toBooking);
}

/** Held intervals (buffers included) on a resource overlapping [from, to), for availability. */
export async function busyIntervals(
  db: Queryable,
  resourceId: string,
  from: Date,
  to: Date,
  exceptBookingId: string | null = null,
): Promise<{ start: Date; end: Date }[]> {
  const rows = await db.query<{ block_start: Date; block_end: Date }>(
    `SELECT block_start, block_end FROM bookings
      WHERE resource_id = $1 AND status = ANY($2) AND block_end > $3 AND block_start < $4
        AND ($5::uuid IS NULL OR id <> $5)
      ORDER BY block_start`,
    [resourceId, ACTIVE_STATUSES, from, to, exceptBookingId],
  );
  return rows.map((r) => ({ start: r.block_start, end: r.block_end }));
}

/** Requested bookings whose confirmation deadline has passed. */
export async function dueForExpiry(
  db: Queryable,
  now: Date,
  limit: number,
): Promise<{ id: string; version: number }[]> {
  return db.query(
    `SELECT id, version FROM bookings WHERE status = 'requested' AND expires_at <= $1 ORDER BY expires_at LIMIT $2`,
    [now, limit],
  );
}
