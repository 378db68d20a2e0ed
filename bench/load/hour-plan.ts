export interface PlanResource {
  resourceId: string;
  vendorId: string;
  serviceId: string;
}

export interface PlannedBooking extends PlanResource {
  startAt: Date;
}

const HOUR_MS = 3_600_000;

/**
 * Hands out one-hour slots that no other take, in this worker or another, overlaps: round-robin over the resources,
 * each resource's hours in turn, and worker `w` of `W` only ever uses hours `w, w + W, w + 2W, …` from `firstSlotMs`. So bookings
 * succeed unless the system under test is wrong, and a BOOKING_SLOT_TAKEN in the results is a finding.
 */
export class HourPlan {
  private next = 0;
  /** Hours handed out per resource. */
  private readonly used: number[];
  private readonly indexOf = new Map<string, number>();

  constructor(
    private readonly resources: readonly PlanResource[],
    private readonly firstSlotMs: number,
    private readonly worker: number,
    private readonly workers: number,
  ) {
    if (resources.length === 0) throw new Error('HourPlan needs at least one resource');
    if (!(worker >= 0 && worker < workers)) throw new RangeError('worker must be within 0..workers-1');
    this.used = resources.map(() => 0);
    for (const [i, r] of resources.entries()) this.indexOf.set(r.resourceId, i);
  }

  /** The next free hour of the next resource in turn. */
  take(): PlannedBooking {
    return this.takeAt(this.next++ % this.resources.length);
  }

  /** The next free hour of one resource (a reschedule stays on its resource). */
  takeOn(resourceId: string): PlannedBooking {
    const i = this.indexOf.get(resourceId);
    if (i === undefined) throw new Error(`resource ${resourceId} is not in the plan`);
    return this.takeAt(i);
  }

  private takeAt(i: number): PlannedBooking {
    const hour = this.used[i]!++ * this.workers + this.worker;
    return { ...this.resources[i]!, startAt: new Date(this.firstSlotMs + hour * HOUR_MS) };
  }
}

/** Midnight UTC two days ahead: no slot of the run is in the past. */
export function firstSlotMs(now: number): number {
  const day = 86_400_000;
  return Math.floor(now / day) * day + 2 * day;
}
