import { z } from 'zod';
import { BookingStatus, Id, IsoDateTime } from './entities.js';

/**
 * The live operations view: every node pushes one `ops:sample` to the admin room per interval (through the Redis
 * adapter when there are several nodes), and the admin app keeps the newest sample of each node. A sample always
 * carries the node's own figures; the cluster-wide reads (outbox, log head, bookings, waiting requests) come only in
 * the sample of the one node that made them this interval (see `ClusterReads`), and only while an admin watches.
 */

export const HealthLevel = z.enum(['green', 'amber', 'red']);
export type HealthLevel = z.infer<typeof HealthLevel>;

/** One indicator and the alert rule (ops/prometheus/rules) whose threshold set its level. */
export const HealthIndicator = z.object({
  name: z.string(),
  level: HealthLevel,
  value: z.number().nullable(),
  /** The alert, its threshold and severity, e.g. `SlotcastOutboxLag: > 30 (critical)`. */
  rule: z.string(),
});
export type HealthIndicator = z.infer<typeof HealthIndicator>;

const Count = z.number().int().min(0);

export const OpsSample = z.object({
  node: z.string(),
  sampledAt: IsoDateTime,
  intervalMs: z.number().int().positive(),
  /** After this long without a sample the node counts as down (the `for` of SlotcastInstanceDown). */
  downAfterMs: z.number().int().positive(),
  sockets: z.object({
    total: Count,
    byRole: z.record(z.string(), Count),
    byTransport: z.record(z.string(), Count),
  }),
  /** Rates over the last interval, scaled to a minute. */
  perMinute: z.object({
    connects: z.number().min(0),
    disconnectsByReason: z.record(z.string(), z.number().min(0)),
  }),
  eventLoopLagP99Ms: z.number().min(0).nullable(),
  memory: z.object({ rssBytes: Count, heapUsedBytes: Count }),
  /** Database, Redis, RabbitMQ, ...: what /readyz checks, as this node sees it. */
  dependencies: z.array(
    z.object({
      name: z.string(),
      up: z.boolean(),
      detail: z.string().optional(),
      /** How long this node's check took (a round trip to the database or Redis, the broker connection's state). */
      latencyMs: z.number().min(0).optional(),
    }),
  ),
  /** This node's part in the outbox relay: `leader` publishes the outbox to RabbitMQ; `none` without a broker. */
  relay: z.enum(['leader', 'standby', 'none']).optional(),
  /** Durable consumers running on this node and how far each is behind. */
  consumers: z.array(z.object({ name: z.string(), lagEvents: z.number().min(0) })),
  // The cluster-wide reads: present only in the sample of the node that made them this interval.
  outbox: z
    .object({ unpublished: Count, oldestAgeSeconds: z.number().min(0) })
    .nullable()
    .optional(),
  eventLog: z.object({ headId: Count }).optional(),
  /** Bookings starting today (UTC), by status. */
  bookingsToday: z.partialRecord(BookingStatus, Count).optional(),
  /** Requests waiting for a vendor's answer, longest first. */
  waiting: z
    .array(z.object({ bookingId: Id, vendorId: Id, requestedAt: IsoDateTime, waitingSeconds: Count }))
    .optional(),
  health: z.array(HealthIndicator),
});
export type OpsSample = z.infer<typeof OpsSample>;
