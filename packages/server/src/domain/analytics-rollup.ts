import { type BookingEvent, type EventEnvelope, isBookingEvent } from '@slotcast/protocol';

/**
 * What each booking event adds to the analytics rollups, as one table a reader can check against docs/architecture.md (Analytics):
 * the metric it counts and the instant whose local day and hour (in the resource's zone) the count lands in.
 */
export type RollupMetric = 'made' | 'held' | 'confirmed' | 'cancelled' | 'no_show';

interface Rule {
  metric: RollupMetric;
  applies(e: BookingEvent): boolean;
  at(e: BookingEvent): string;
}

export const ROLLUP_RULES: readonly Rule[] = [
  // Made: the event that created the booking (requested, or confirmed at once by an auto-confirming vendor).
  { metric: 'made', applies: (e) => e.data.previousStatus === null, at: (e) => e.occurredAt },
  // Held: an appointment that took place, at the hour it was booked for.
  { metric: 'held', applies: (e) => e.type === 'booking.completed', at: (e) => e.data.booking.startAt },
  // Confirmed by the vendor (not at once): when it was confirmed.
  {
    metric: 'confirmed',
    applies: (e) => e.type === 'booking.confirmed' && e.data.previousStatus === 'requested',
    at: (e) => e.occurredAt,
  },
  { metric: 'cancelled', applies: (e) => e.type === 'booking.cancelled', at: (e) => e.occurredAt },
  // A no-show belongs to the appointment's hour, like a held one.
  { metric: 'no_show', applies: (e) => e.type === 'booking.no_show', at: (e) => e.data.booking.startAt },
];

export interface RollupCount {
  vendorId: string;
  resourceId: string;
  metric: RollupMetric;
  at: string;
}
export interface ConfirmTime {
  eventId: number;
  vendorId: string;
  resourceId: string;
  at: string;
  seconds: number;
}

/** Lead time (booking made → appointment start) buckets: the upper bound in hours of each, the last open. */
export const LEAD_BUCKETS: readonly { label: string; underHours: number }[] = [
  { label: 'under 1 hour', underHours: 1 },
  { label: '1 to 24 hours', underHours: 24 },
  { label: '1 to 3 days', underHours: 72 },
  { label: '3 to 7 days', underHours: 168 },
  { label: '7 to 30 days', underHours: 720 },
  { label: '30 days or more', underHours: Number.POSITIVE_INFINITY },
];

export const leadBucketOf = (seconds: number): number => LEAD_BUCKETS.findIndex((b) => seconds < b.underHours * 3600);

export interface LeadTime {
  vendorId: string;
  resourceId: string;
  /** When the booking was made: its local day is the row it lands in. */
  at: string;
  bucket: number;
  seconds: number;
}

/** The counts, confirmation times and lead times a batch of events adds; events of other types add nothing. */
export function rollupsOf(events: readonly EventEnvelope[]): {
  counts: RollupCount[];
  confirmTimes: ConfirmTime[];
  leadTimes: LeadTime[];
} {
  const counts: RollupCount[] = [];
  const confirmTimes: ConfirmTime[] = [];
  const leadTimes: LeadTime[] = [];
  for (const e of events) {
    if (!isBookingEvent(e)) continue;
    const { vendorId, resourceId, createdAt } = e.data.booking;
    for (const rule of ROLLUP_RULES) {
      if (rule.applies(e)) counts.push({ vendorId, resourceId, metric: rule.metric, at: rule.at(e) });
    }
    if (e.type === 'booking.confirmed' && e.data.previousStatus === 'requested') {
      const seconds = Math.max(0, Math.round((Date.parse(e.occurredAt) - Date.parse(createdAt)) / 1000));
      confirmTimes.push({ eventId: e.id, vendorId, resourceId, at: e.occurredAt, seconds });
    }
    if (e.data.previousStatus === null) {
      // A booking made for a time already past (staff recording a walk-in) has no lead: zero.
      const seconds = Math.max(0, Math.round((Date.parse(e.data.booking.startAt) - Date.parse(e.occurredAt)) / 1000));
      leadTimes.push({ vendorId, resourceId, at: e.occurredAt, bucket: leadBucketOf(seconds), seconds });
    }
  }
  return { counts, confirmTimes, leadTimes };
}
