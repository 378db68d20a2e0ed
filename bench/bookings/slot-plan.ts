export const SLOT_MINUTES = 30;
const SLOT_MS = SLOT_MINUTES * 60_000;
const DAY_MS = 86_400_000;

export interface PlannedSlot {
  resourceId: string;
  startAt: Date;
}

/** Midnight UTC two days ahead: far enough that no booking of the run is in the past, on every slot grid. */
export function firstSlotStart(now: Date): Date {
  return new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS + 2 * DAY_MS);
}

/**
 * Hands out bookable (resource, start) pairs that never overlap one another: round-robin over the resources, then
 * the next slot. Consecutive bookings land on different resources, so concurrent requests do not queue on the same
 * rows or index pages of one resource; conflicts, if any, are a finding rather than part of the workload.
 */
export class SlotPlan {
  private next = 0;

  constructor(
    private readonly resourceIds: readonly string[],
    private readonly firstStart: Date,
  ) {
    if (resourceIds.length === 0) throw new Error('SlotPlan needs at least one resource');
  }

  take(): PlannedSlot {
    const i = this.next++;
    const n = this.resourceIds.length;
    return {
      resourceId: this.resourceIds[i % n]!,
      startAt: new Date(this.firstStart.getTime() + Math.floor(i / n) * SLOT_MS),
    };
  }

  get taken(): number {
    return this.next;
  }
}
