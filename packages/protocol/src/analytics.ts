import { z } from 'zod';
import { Id, IsoDate } from './entities.js';

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

export const TrendTotals = z.object({
  made: z.number().int(),
  held: z.number().int(),
  confirmed: z.number().int(),
  cancelled: z.number().int(),
  noShow: z.number().int(),
  /** cancelled / made; null when nothing was made. */
  cancellationRate: z.number().nullable(),
  /** no-shows / (held + no-shows); null without any appointment. */
  noShowRate: z.number().nullable(),
  medianConfirmSeconds: z.number().nullable(),
});
export type TrendTotals = z.infer<typeof TrendTotals>;

export const TrendDay = z.object({
  day: IsoDate,
  made: z.number().int(),
  held: z.number().int(),
  confirmed: z.number().int(),
  cancelled: z.number().int(),
  noShow: z.number().int(),
});
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
