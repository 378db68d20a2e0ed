import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Booking, SlotcastError } from '@slotcast/protocol';
import type { BookingService } from '../../packages/server/src/usecases/bookings.js';
import { type LatencySummary, summarize } from '../lib/latency.js';
import { seededRandom } from './fan-out-plan.js';
import type { Identity, Population } from './population.js';

export interface DriveOptions {
  /** Commits per second to aim at. */
  rate: number;
  warmupMs: number;
  measureMs: number;
}

export interface DriveResult {
  /** Wall-clock ms: events that occurred from here on are measured. */
  measureFrom: number;
  /** Wall-clock ms when the last transition was started. */
  endedAt: number;
  attempted: number;
  committed: number;
  /** Transitions the node refused for overload (SERVICE_UNAVAILABLE or RATE_LIMITED with a retry time). */
  shed: number;
  /** The longest retry time a refusal named (what HTTP sends as Retry-After); null when none was shed. */
  retryAfterMs: number | null;
  failed: number;
  errorSamples: string[];
  /** Committed transitions per second over the whole drive. */
  achievedRate: number;
  /** Transitions started more than 10 ms after their slot in the schedule (the driver or the node fell behind). */
  lateStarts: number;
  /** The latest any transition started after its slot in the schedule. */
  maxStartLagMs: number;
  /** Sockets the committed events should reach: their customer plus their vendor's staff. */
  expectedDeliveries: number;
  /** Call → commit of each transition inside the server. */
  commit: LatencySummary;
  /** occurredAt → the bus handing the event to the gateway, which emits it in the same call (measured events). */
  emitted?: LatencySummary;
  /** Garbage-collection pauses in the server process during the drive. */
  gc?: GcPauses & { minor: GcPauses; major: GcPauses };
}

/** Garbage-collection pauses: how many, their sum and the longest (ms). */
export interface GcPauses {
  count: number;
  totalMs: number;
  maxMs: number;
}

interface Chain {
  booking: Booking;
  customer: Identity;
  staff: Identity;
  step: 'confirm' | 'cancel';
}

/**
 * A bound on the driver's own memory, set far above what the node takes at once (its pool queue is 500): below it the
 * schedule is offered as it falls due, so an overloaded node has to shed the excess rather than the driver holding it.
 */
const MAX_IN_FLIGHT = 2_000;
const HOUR = 3_600_000;

const caller = (id: Identity) => ({
  role: id.role,
  userId: id.userId,
  vendorId: id.vendorId,
  isOwner: false,
  sessionId: id.sessionId,
});

/**
 * Commits real booking transitions through the node's own BookingService at a fixed rate (open loop: a slow commit
 * does not slow the schedule). Each booking is requested by a customer, confirmed by a staff member, then cancelled by
 * the customer, so a third of the commits are each; every one appends an event that the gateway pushes to the
 * customer and the vendor's staff. Bookings take distinct hour slots from two days ahead on, round-robin per resource.
 */
export async function driveTransitions(
  bookings: BookingService,
  p: Population,
  opts: DriveOptions,
): Promise<DriveResult> {
  const rnd = seededRandom(7);
  const resources = p.vendors.flatMap((v) => v.resourceIds.map((id) => ({ vendor: v, id, next: 0 })));
  const day0 = new Date();
  day0.setUTCHours(0, 0, 0, 0);
  const firstSlot = day0.getTime() + 2 * 24 * HOUR;
  const ready: Chain[] = [];
  let nextResource = 0;
  let inFlight = 0;
  let committed = 0;
  let failed = 0;
  let shed = 0;
  let retryAfterMs: number | null = null;
  let expectedDeliveries = 0;
  const errorSamples: string[] = [];
  const commitMs: number[] = [];

  const step = async (): Promise<void> => {
    const chain = ready.shift();
    const t0 = performance.now();
    let booking: Booking;
    let vendorStaff: number;
    if (chain) {
      const by = chain.step === 'confirm' ? chain.staff : chain.customer;
      const res = await bookings.transition(
        caller(by),
        chain.booking.id,
        chain.step,
        { version: chain.booking.version },
        null,
      );
      booking = res.body;
      vendorStaff = p.vendors.find((v) => v.id === booking.vendorId)!.staff.length;
      if (chain.step === 'confirm') ready.push({ ...chain, booking, step: 'cancel' });
    } else {
      const r = resources[nextResource++ % resources.length]!;
      const customer = p.customers[Math.floor(rnd() * p.customers.length)]!;
      const staff = r.vendor.staff[Math.floor(rnd() * r.vendor.staff.length)]!;
      const res = await bookings.create(
        caller(customer),
        {
          resourceId: r.id,
          serviceId: r.vendor.serviceId,
          startAt: new Date(firstSlot + r.next++ * HOUR).toISOString(),
        },
        null,
      );
      booking = res.body;
      vendorStaff = r.vendor.staff.length;
      ready.push({ booking, customer, staff, step: 'confirm' });
    }
    commitMs.push(performance.now() - t0);
    committed++;
    expectedDeliveries += 1 + vendorStaff;
  };

  const started = performance.now();
  const startWall = Date.now();
  const end = started + opts.warmupMs + opts.measureMs;
  let attempted = 0;
  let lateStarts = 0;
  let maxStartLagMs = 0;
  for (let now = started; now < end; now = performance.now()) {
    const due = Math.floor(((now - started) * opts.rate) / 1000);
    while (attempted < due && inFlight < MAX_IN_FLIGHT) {
      // Transition k (from 0) is due once (k + 1) / rate seconds have passed.
      const lag = now - (started + ((attempted + 1) * 1000) / opts.rate);
      if (lag > 10) lateStarts++;
      maxStartLagMs = Math.max(maxStartLagMs, lag);
      attempted++;
      inFlight++;
      step()
        .catch((err: unknown) => {
          if (err instanceof SlotcastError && (err.code === 'SERVICE_UNAVAILABLE' || err.code === 'RATE_LIMITED')) {
            shed++;
            const wait = err.extensions.retryAfterMs;
            if (typeof wait === 'number') retryAfterMs = Math.max(retryAfterMs ?? 0, wait);
            return;
          }
          failed++;
          const message = err instanceof Error ? err.message : String(err);
          if (errorSamples.length < 5 && !errorSamples.includes(message)) errorSamples.push(message);
        })
        .finally(() => inFlight--);
    }
    await sleep(2);
  }
  const endedAt = Date.now();
  for (let i = 0; i < 5000 && inFlight > 0; i++) await sleep(2);
  const elapsed = performance.now() - started;
  return {
    measureFrom: startWall + opts.warmupMs,
    endedAt,
    attempted,
    committed,
    shed,
    retryAfterMs,
    failed,
    errorSamples,
    achievedRate: (committed * 1000) / elapsed,
    lateStarts,
    maxStartLagMs,
    expectedDeliveries,
    commit: summarize(commitMs, elapsed),
  };
}
