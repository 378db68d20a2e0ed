import {
  type HeatmapQuery,
  type HeatmapResponse,
  SlotcastError,
  type TrendDay,
  type TrendsQuery,
  type TrendsResponse,
  type TrendTotals,
  type VendorInsightsQuery,
  type VendorInsightsResponse,
} from '@slotcast/protocol';
import { LEAD_BUCKETS, rollupsOf } from '../domain/analytics-rollup.js';
import {
  addConfirmTimes,
  addLeadTimes,
  addResourceCounts,
  addRollupCounts,
  dailyCounts,
  heatmapCells,
  leadTimeBuckets,
  medianConfirmSeconds,
  resourceTotals,
} from '../store/analytics-repo.js';
import type { Queryable } from '../store/db.js';
import type { StoredEvent } from '../store/event-log.js';
import { type Caller, requireRole } from './actor.js';

const DAY_MS = 86_400_000;
export const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS) + 1;
/** Longest heatmap range: a year and a day, so a whole year fits whatever its length. */
const MAX_HEATMAP_DAYS = 367;

/**
 * Analytics: the worker's handler that keeps the rollups, and the reads behind the insights routes. Admins see every
 * vendor or one; a vendor's owners see their own vendor only; nobody else sees any figure.
 */
export class AnalyticsService {
  constructor(
    private readonly db: Queryable,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Adds a batch's counts in the consumer's transaction, so offset and effect commit together. */
  async fromEvents(tx: Queryable, events: readonly StoredEvent[]): Promise<void> {
    const { counts, confirmTimes, leadTimes } = rollupsOf(events.map((e) => e.envelope));
    await addRollupCounts(tx, counts);
    await addResourceCounts(tx, counts);
    await addConfirmTimes(tx, confirmTimes);
    await addLeadTimes(tx, leadTimes);
  }

  /** The vendor the caller may see figures of: null means every vendor (admins only). */
  private scope(caller: Caller | null, vendorId: string | undefined): string | null {
    const c = requireRole(caller, 'admin', 'staff');
    if (c.role === 'admin') return vendorId ?? null;
    if (!c.isOwner || !c.vendorId) throw new SlotcastError('FORBIDDEN', 'Only a vendor’s owners see its insights');
    if (vendorId && vendorId !== c.vendorId) throw new SlotcastError('FORBIDDEN', 'Another vendor’s figures');
    return c.vendorId;
  }

  async heatmap(caller: Caller | null, q: HeatmapQuery): Promise<HeatmapResponse> {
    const vendorId = this.scope(caller, q.vendorId);
    const span = daysBetween(q.from, q.to);
    if (span < 1 || span > MAX_HEATMAP_DAYS) {
      throw new SlotcastError('VALIDATION_FAILED', `from..to must span 1 to ${MAX_HEATMAP_DAYS} days`);
    }
    const found = await heatmapCells(this.db, { vendorId, metric: q.metric, from: q.from, to: q.to });
    const byKey = new Map(found.map((c) => [`${c.weekday}:${c.hour}`, c.count]));
    const cells = [];
    for (let weekday = 1; weekday <= 7; weekday++) {
      for (let hour = 0; hour < 24; hour++) cells.push({ weekday, hour, count: byKey.get(`${weekday}:${hour}`) ?? 0 });
    }
    return { metric: q.metric, from: q.from, to: q.to, vendorId, cells, total: found.reduce((n, c) => n + c.count, 0) };
  }

  async trends(caller: Caller | null, q: TrendsQuery): Promise<TrendsResponse> {
    const vendorId = this.scope(caller, q.vendorId);
    const n = Number(q.days);
    const to = q.to ?? this.now().toISOString().slice(0, 10);
    const from = addDays(to, -(n - 1));
    const previousTo = addDays(from, -1);
    const previousFrom = addDays(previousTo, -(n - 1));
    const [rows, median, previousMedian] = await Promise.all([
      dailyCounts(this.db, { vendorId, from: previousFrom, to }),
      medianConfirmSeconds(this.db, { vendorId, from, to }),
      medianConfirmSeconds(this.db, { vendorId, from: previousFrom, to: previousTo }),
    ]);
    const byDay = new Map<string, TrendDay>();
    for (let i = 0; i < 2 * n; i++) {
      const day = addDays(previousFrom, i);
      byDay.set(day, { day, made: 0, held: 0, confirmed: 0, cancelled: 0, noShow: 0 });
    }
    for (const r of rows) {
      const d = byDay.get(r.day);
      if (d) d[r.metric === 'no_show' ? 'noShow' : r.metric] += r.count;
    }
    const all = [...byDay.values()];
    return {
      vendorId,
      from,
      to,
      previousFrom,
      previousTo,
      days: all.slice(n),
      current: totals(all.slice(n), median),
      previous: totals(all.slice(0, n), previousMedian),
    };
  }

  /** Busiest resources and lead time over the period ending `to` (today by default). */
  async vendorInsights(caller: Caller | null, q: VendorInsightsQuery): Promise<VendorInsightsResponse> {
    const vendorId = this.scope(caller, q.vendorId);
    const to = q.to ?? this.now().toISOString().slice(0, 10);
    const from = addDays(to, -(Number(q.days) - 1));
    const [resources, buckets] = await Promise.all([
      resourceTotals(this.db, { vendorId, from, to, limit: 20 }),
      leadTimeBuckets(this.db, { vendorId, from, to }),
    ]);
    const counts = LEAD_BUCKETS.map((_, i) => buckets.find((b) => b.bucket === i)?.count ?? 0);
    const n = counts.reduce((a, b) => a + b, 0);
    const seconds = buckets.reduce((a, b) => a + b.seconds, 0);
    // The bucket holding the middle booking: the first whose running count reaches half.
    let running = 0;
    const median = n === 0 ? -1 : counts.findIndex((c) => (running += c) >= n / 2);
    return {
      vendorId,
      from,
      to,
      resources,
      leadTime: {
        count: n,
        meanHours: n === 0 ? null : seconds / n / 3600,
        medianBucket: median < 0 ? null : LEAD_BUCKETS[median]!.label,
        buckets: LEAD_BUCKETS.map((b, i) => ({ label: b.label, count: counts[i]! })),
      },
    };
  }
}

function totals(days: TrendDay[], medianConfirm: number | null): TrendTotals {
  const sum = (k: keyof Omit<TrendDay, 'day'>) => days.reduce((n, d) => n + d[k], 0);
  const made = sum('made');
  const held = sum('held');
  const noShow = sum('noShow');
  const cancelled = sum('cancelled');
  return {
    made,
    held,
    confirmed: sum('confirmed'),
    cancelled,
    noShow,
    cancellationRate: made ? cancelled / made : null,
    noShowRate: held + noShow ? noShow / (held + noShow) : null,
    medianConfirmSeconds: medianConfirm,
  };
}
