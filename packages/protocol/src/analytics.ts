import { z } from 'zod';
import { Id, IsoDate, TimeZone } from './entities.js';

/** Insights from the analytics rollups: admins across vendors or for one, a vendor's owners for their own vendor. */

export const HeatmapMetric = z.enum(['made', 'held']);
export type HeatmapMetric = z.infer<typeof HeatmapMetric>;

export const HeatmapQuery = z.strictObject({
  /** `made`: when bookings were made; `held`: when appointments that took place were booked for. */
  metric: HeatmapMetric,
  /** Local days (the vendor's zone), inclusive. */
  from: IsoDate,
  to: IsoDate,
  /** One vendor; admins may omit it for all vendors, staff get their own. */
  vendorId: Id.optional(),
});
export type HeatmapQuery = z.infer<typeof HeatmapQuery>;

export const HeatmapResponse = z.object({
  metric: HeatmapMetric,
  from: IsoDate,
  to: IsoDate,
  vendorId: Id.nullable(),
  /** All 7 × 24 cells, Monday 00 first; weekday is ISO (1 = Monday). */
  cells: z.array(z.object({ weekday: z.number().int(), hour: z.number().int(), count: z.number().int() })),
  total: z.number().int(),
});
export type HeatmapResponse = z.infer<typeof HeatmapResponse>;

export const TrendsQuery = z.strictObject({
  days: z.enum(['7', '30', '90']),
  /** The period's last local day; today (UTC) by default. */
  to: IsoDate.optional(),
  vendorId: Id.optional(),
});
export type TrendsQuery = z.infer<typeof TrendsQuery>;

/** What a period or a day counts: bookings made, appointments held, confirmed, cancelled, no-shows. */
const TrendCounts = z.object({
  made: z.number().int(),
  held: z.number().int(),
  confirmed: z.number().int(),
  cancelled: z.number().int(),
  noShow: z.number().int(),
});

export const TrendTotals = z.object({
  ...TrendCounts.shape,
  /** cancelled / made; null when nothing was made. */
  cancellationRate: z.number().nullable(),
  /** no-shows / (held + no-shows); null without any appointment. */
  noShowRate: z.number().nullable(),
  medianConfirmSeconds: z.number().nullable(),
});
export type TrendTotals = z.infer<typeof TrendTotals>;

export const TrendDay = z.object({ day: IsoDate, ...TrendCounts.shape });
export type TrendDay = z.infer<typeof TrendDay>;

export const TrendsResponse = z.object({
  vendorId: Id.nullable(),
  from: IsoDate,
  to: IsoDate,
  previousFrom: IsoDate,
  previousTo: IsoDate,
  /** Every day of the period, oldest first. */
  days: z.array(TrendDay),
  current: TrendTotals,
  previous: TrendTotals,
});
export type TrendsResponse = z.infer<typeof TrendsResponse>;

const Period = z.enum(['7', '30', '90']);
const count = z.number().int();
export const RoleCounts = z.object({ customer: count, staff: count, admin: count });
export type RoleCounts = z.infer<typeof RoleCounts>;

export const EngagementQuery = z.strictObject({
  days: Period,
  /** The period's last UTC day; today (UTC) by default. */
  to: IsoDate.optional(),
});
export type EngagementQuery = z.infer<typeof EngagementQuery>;

export const EngagementDay = z.object({
  day: IsoDate,
  /** Users who connected that UTC day, by role (in the role of their first connection that day). */
  active: RoleCounts,
  /** Sessions begun: a connection of a user with no socket open on that node in the 30 minutes before. */
  sessions: count,
  connects: count,
});
export type EngagementDay = z.infer<typeof EngagementDay>;

export const EngagementResponse = z.object({
  from: IsoDate,
  to: IsoDate,
  /** Every day of the period, oldest first. */
  days: z.array(EngagementDay),
  /** Distinct users active in the 7 and the 30 days up to `to`, by role. */
  weekly: RoleCounts,
  monthly: RoleCounts,
  /** Sessions per active user and day over the period (sessions / the days' active users); null without any. */
  sessionsPerUser: z.number().nullable(),
  /** Median seconds from request to confirmation over the period, every vendor. */
  medianConfirmSeconds: z.number().nullable(),
});
export type EngagementResponse = z.infer<typeof EngagementResponse>;

export const SocketHeatmapQuery = z.strictObject({
  from: IsoDate,
  to: IsoDate,
  /** The zone whose weekdays and hours the cells are in; UTC by default. */
  timeZone: TimeZone.optional(),
});
export type SocketHeatmapQuery = z.infer<typeof SocketHeatmapQuery>;

export const SocketHeatmapResponse = z.object({
  from: IsoDate,
  to: IsoDate,
  timeZone: z.string(),
  /** All 7 × 24 cells, Monday 00 first: connects begun, and open sockets on average over those hours. */
  cells: z.array(z.object({ weekday: count, hour: count, connects: count, meanOpenSockets: z.number() })),
  totalConnects: count,
});
export type SocketHeatmapResponse = z.infer<typeof SocketHeatmapResponse>;

export const VendorInsightsQuery = z.strictObject({
  days: Period,
  /** The period's last local day; today (UTC) by default. */
  to: IsoDate.optional(),
  /** One vendor; admins may omit it for all vendors, a vendor's owners get their own. */
  vendorId: Id.optional(),
});
export type VendorInsightsQuery = z.infer<typeof VendorInsightsQuery>;

export const VendorInsightsResponse = z.object({
  vendorId: Id.nullable(),
  from: IsoDate,
  to: IsoDate,
  /** Resources by appointments held, then bookings made, over the period; at most 20. */
  resources: z.array(
    z.object({ resourceId: Id, name: z.string(), made: count, held: count, cancelled: count, noShow: count }),
  ),
  /** Booking made → appointment start, of the bookings made in the period. */
  leadTime: z.object({
    count,
    meanHours: z.number().nullable(),
    /** The bucket the median booking falls in; null without any. */
    medianBucket: z.string().nullable(),
    buckets: z.array(z.object({ label: z.string(), count })),
  }),
});
export type VendorInsightsResponse = z.infer<typeof VendorInsightsResponse>;
