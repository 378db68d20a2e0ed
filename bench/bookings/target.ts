import type { Outcome } from '../lib/closed-loop.js';
import type { PlannedSlot } from './slot-plan.js';

export interface BookingRef {
  id: string;
  version: number;
}

export type CreateResult = { outcome: 'ok'; ref: BookingRef } | { outcome: 'conflict' };

/** One way of making bookings: through Slotcast's HTTP API or as bare SQL. The scenario drives both alike. */
export interface BookingTarget {
  readonly label: string;
  /** Books `slot` for the customer with this index (taken modulo the number of customers). */
  create(slot: PlannedSlot, customer: number): Promise<CreateResult>;
  /** Confirms a requested booking at the version given; a stale version or a taken row is a conflict. */
  confirm(ref: BookingRef): Promise<Outcome>;
  /** SQL statements sent so far, BEGIN and COMMIT included, background work included. */
  statements(): number;
}
