import type { BookingStatus } from '@slotcast/protocol';
import type { Queryable } from './db.js';

// Reads for the live operations view (ops/ops-sampler.ts): small, indexed, run once per sample interval per node.

/** Bookings starting on `now`'s UTC day, by status. */
export async function bookingsTodayByStatus(db: Queryable, now: Date): Promise<Partial<Record<BookingStatus, number>>> {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const rows = await db.query<{ status: BookingStatus; n: number }>(
    `SELECT status, count(*)::int AS n FROM bookings
      WHERE start_at >= $1 AND start_at < $1::timestamptz + interval '1 day' GROUP BY status`,
    [day.toISOString()],
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** Requests still waiting for the vendor, longest first. */
export async function waitingRequests(
  db: Queryable,
  now: Date,
  limit: number,
): Promise<{ bookingId: string; vendorId: string; requestedAt: string; waitingSeconds: number }[]> {
  const rows = await db.query<{ id: string; vendor_id: string; created_at: Date | string }>(
    `SELECT id, vendor_id, created_at FROM bookings WHERE status = 'requested' ORDER BY created_at LIMIT $1`,
    [limit],
  );
  return rows.map((r) => {
    const at = new Date(r.created_at);
    return {
      bookingId: r.id,
      vendorId: r.vendor_id,
      requestedAt: at.toISOString(),
      waitingSeconds: Math.max(0, Math.floor((now.getTime() - at.getTime()) / 1000)),
    };
  });
}
