import { randomUUID } from 'node:crypto';
import type { Booking, BookingEventData, BookingEventType } from '@slotcast/protocol';
import type { Db } from '../../packages/server/src/store/db.js';
import { appendEvents, type NewEvent } from '../../packages/server/src/store/event-log.js';
import type { Population } from './population.js';

/** One planned booking event: whose it is. Both servers get the same plan, so the same rooms. */
export interface PlannedEvent {
  vendor: number;
  customer: number;
  resource: number;
  type: BookingEventType;
}

// Each event is one step of a booking's usual life; its shape (and size) is that of what BookingService appends.
const STEPS: { type: BookingEventType; status: Booking['status']; previous: Booking['status'] | null }[] = [
  { type: 'booking.requested', status: 'requested', previous: null },
  { type: 'booking.confirmed', status: 'confirmed', previous: 'requested' },
  { type: 'booking.cancelled', status: 'cancelled', previous: 'confirmed' },
];

/** A small deterministic generator (mulberry32), so a plan is the same on every run with the same sizes. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** `count` events, each for a random customer at a random vendor. */
export function planEvents(p: Population, count: number, seed = 1): PlannedEvent[] {
  const rnd = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const vendor = Math.floor(rnd() * p.vendors.length);
    return {
      vendor,
      customer: Math.floor(rnd() * p.customers.length),
      resource: Math.floor(rnd() * p.vendors[vendor]!.resourceIds.length),
      type: STEPS[i % STEPS.length]!.type,
    };
  });
}

/** Deliveries the plan makes when every identity has one socket: its customer plus its vendor's staff. */
export function expectedDeliveries(p: Population, plan: readonly PlannedEvent[]): number {
  let n = 0;
  for (const e of plan) n += 1 + p.vendors[e.vendor]!.staff.length;
  return n;
}

function toNewEvent(p: Population, e: PlannedEvent, at: Date): NewEvent {
  const vendor = p.vendors[e.vendor]!;
  const customer = p.customers[e.customer]!;
  const staff = vendor.staff[0];
  const step = STEPS.find((s) => s.type === e.type)!;
  const start = new Date(at.getTime() + 3 * 86_400_000);
  const booking: Booking = {
    id: randomUUID(),
    vendorId: vendor.id,
    resourceId: vendor.resourceIds[e.resource]!,
    serviceId: vendor.serviceId,
    customerId: customer.userId,
    status: step.status,
    startAt: start.toISOString(),
    endAt: new Date(start.getTime() + 3_600_000).toISOString(),
    timezone: 'UTC',
    version: STEPS.indexOf(step) + 1,
    note: null,
    priceMinor: 5000,
    currency: 'EUR',
    statusReason: null,
    updatedBy:
      step.type === 'booking.confirmed'
        ? { userId: staff?.userId ?? null, role: 'staff' }
        : { userId: customer.userId, role: 'customer' },
    createdAt: at.toISOString(),
    updatedAt: at.toISOString(),
  };
  const data: BookingEventData = {
    booking,
    previousStatus: step.previous,
    actor: booking.updatedBy,
    reason: null,
  };
  return {
    type: e.type,
    bookingId: booking.id,
    vendorId: vendor.id,
    customerId: customer.userId,
    resourceId: booking.resourceId,
    data,
  };
}

/**
 * Appends the planned events the way BookingService does (the event log's own append, its lock and its NOTIFY), all in
 * one transaction, so the bus finds them at once and drains them as fast as it can. Resolves to the wall-clock time
 * (ms) just before COMMIT: from then on the events are the bus's to deliver.
 */
export async function appendPlanned(db: Db, p: Population, plan: readonly PlannedEvent[]): Promise<number> {
  const now = new Date();
  const rows = plan.map((e) => toNewEvent(p, e, now));
  let committingAt = 0;
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += 1000) await appendEvents(tx, rows.slice(i, i + 1000));
    committingAt = Date.now();
  });
  return committingAt;
}
