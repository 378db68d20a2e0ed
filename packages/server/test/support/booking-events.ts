import type { Queryable } from '../../src/store/db.js';
import { appendEvents, type NewEvent } from '../../src/store/event-log.js';

let seq = 0;

export type TimedEvent = NewEvent & { occurredAt: string };

/**
 * A booking event as the write path appends it, with what the analytics rollups read filled in truthfully, at a
 * time of the test's choosing (for histories generated on a fixed clock).
 */
export function bookingEvent(
  v: { vendorId: string; resourceId: string },
  type: string,
  o: { at: string; startAt?: string; createdAt?: string; previousStatus?: string | null; bookingId?: string },
): TimedEvent {
  const id = o.bookingId ?? `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;
  const startAt = o.startAt ?? o.at;
  return {
    type,
    bookingId: id,
    vendorId: v.vendorId,
    customerId: null,
    resourceId: v.resourceId,
    occurredAt: o.at,
    data: {
      booking: {
        id,
        vendorId: v.vendorId,
        resourceId: v.resourceId,
        status: type.slice('booking.'.length),
        startAt,
        endAt: new Date(Date.parse(startAt) + 3_600_000).toISOString(),
        createdAt: o.createdAt ?? o.at,
      },
      previousStatus: o.previousStatus === undefined ? 'confirmed' : o.previousStatus,
      actor: { role: 'system', userId: null },
      reason: null,
    },
  };
}

/** Appends events in one transaction, each with the occurredAt it carries (the log would stamp its own time). */
export async function appendTimed(
  db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  events: readonly TimedEvent[],
) {
  await db.transaction(async (tx) => {
    const stored = await appendEvents(
      tx,
      events.map(({ occurredAt: _, ...e }) => e),
    );
    await tx.query(
      `UPDATE events e SET occurred_at = x.at FROM unnest($1::bigint[], $2::timestamptz[]) AS x(id, at) WHERE e.id = x.id`,
      [stored.map((s) => s.envelope.id), events.map((e) => e.occurredAt)],
    );
  });
}
