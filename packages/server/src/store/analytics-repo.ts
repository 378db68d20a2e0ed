import type { ConfirmTime, LeadTime, RollupCount, RollupMetric } from '../domain/analytics-rollup.js';
import type { Queryable } from './db.js';

// The analytics rollups (migrations 050, 056, 061): written by the analytics worker in its consumer transaction, read by the
// insights routes. Days and hours are in the zone of the booking's resource, so a vendor's 9 o'clock is 9 o'clock
// across a DST change. Reads for one vendor and for all are separate statements, not `$n IS NULL OR vendor_id = $n`:
// the pool's named statements get generic plans, and a generic plan of that OR cannot use the vendor's index.

export type { ConfirmTime, LeadTime, RollupCount, RollupMetric };

/** Adds a batch's counts to their cells, per vendor and across vendors: two statements, whatever the batch size. */
export async function addRollupCounts(tx: Queryable, counts: readonly RollupCount[]): Promise<void> {
  if (!counts.length) return;
  const params = [
    counts.map((c) => c.vendorId),
    counts.map((c) => c.resourceId),
    counts.map((c) => c.metric),
    counts.map((c) => c.at),
  ];
  await tx.query(
    `INSERT INTO analytics_hourly_all (metric, local_day, hour, n)
     SELECT x.metric, (x.at AT TIME ZONE r.timezone)::date, extract(hour FROM x.at AT TIME ZONE r.timezone)::smallint,
            count(*)::int
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[]) AS x(vendor_id, resource_id, metric, at)
       JOIN resources r ON r.id = x.resource_id
      GROUP BY 1, 2, 3
     ON CONFLICT (metric, local_day, hour) DO UPDATE SET n = analytics_hourly_all.n + EXCLUDED.n`,
    params,
  );
  await tx.query(
    `INSERT INTO analytics_hourly (vendor_id, metric, local_day, hour, n)
     SELECT x.vendor_id, x.metric, (x.at AT TIME ZONE r.timezone)::date,
            extract(hour FROM x.at AT TIME ZONE r.timezone)::smallint, count(*)::int
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[]) AS x(vendor_id, resource_id, metric, at)
       JOIN resources r ON r.id = x.resource_id
      GROUP BY 1, 2, 3, 4
     ON CONFLICT (vendor_id, metric, local_day, hour) DO UPDATE SET n = analytics_hourly.n + EXCLUDED.n`,
    params,
  );
}

/** The same counts per resource and local day, and per resource and ISO week (busiest resources): one statement. */
export async function addResourceCounts(tx: Queryable, counts: readonly RollupCount[]): Promise<void> {
  if (!counts.length) return;
  await tx.query(
    `WITH c AS (
       SELECT x.resource_id, x.vendor_id, x.metric, (x.at AT TIME ZONE r.timezone)::date AS local_day,
              count(*)::int AS added
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[]) AS x(vendor_id, resource_id, metric, at)
         JOIN resources r ON r.id = x.resource_id
        GROUP BY 1, 2, 3, 4
     ), d AS (
       INSERT INTO analytics_resource_daily (resource_id, vendor_id, metric, local_day, n) SELECT * FROM c
       ON CONFLICT (vendor_id, local_day, resource_id, metric) DO UPDATE SET n = analytics_resource_daily.n + EXCLUDED.n
     )
     INSERT INTO analytics_resource_weekly (week, resource_id, made, held, cancelled, no_show)
     SELECT date_trunc('week', local_day)::date, resource_id,
            coalesce(sum(added) FILTER (WHERE metric = 'made'), 0), coalesce(sum(added) FILTER (WHERE metric = 'held'), 0),
            coalesce(sum(added) FILTER (WHERE metric = 'cancelled'), 0),
            coalesce(sum(added) FILTER (WHERE metric = 'no_show'), 0)
       FROM c WHERE metric <> 'confirmed'
      GROUP BY 1, 2
     ON CONFLICT (week, resource_id) DO UPDATE SET made = analytics_resource_weekly.made + EXCLUDED.made,
       held = analytics_resource_weekly.held + EXCLUDED.held,
       cancelled = analytics_resource_weekly.cancelled + EXCLUDED.cancelled,
       no_show = analytics_resource_weekly.no_show + EXCLUDED.no_show`,
    [
      counts.map((c) => c.vendorId),
      counts.map((c) => c.resourceId),
      counts.map((c) => c.metric),
      counts.map((c) => c.at),
    ],
  );
}

/** Lead times into their bucket of the local day the booking was made on. */
export async function addLeadTimes(tx: Queryable, rows: readonly LeadTime[]): Promise<void> {
  if (!rows.length) return;
  await tx.query(
    `INSERT INTO analytics_lead_times (vendor_id, local_day, bucket, n, seconds)
     SELECT x.vendor_id, (x.at AT TIME ZONE r.timezone)::date, x.bucket, count(*)::int, sum(x.seconds)::bigint
       FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::smallint[], $5::bigint[])
            AS x(vendor_id, resource_id, at, bucket, seconds)
       JOIN resources r ON r.id = x.resource_id
      GROUP BY 1, 2, 3
     ON CONFLICT (vendor_id, local_day, bucket)
       DO UPDATE SET n = analytics_lead_times.n + EXCLUDED.n, seconds = analytics_lead_times.seconds + EXCLUDED.seconds`,
    [
      rows.map((r) => r.vendorId),
      rows.map((r) => r.resourceId),
      rows.map((r) => r.at),
      rows.map((r) => r.bucket),
      rows.map((r) => r.seconds),
    ],
  );
}

export interface ResourceTotals {
  resourceId: string;
  name: string;
  made: number;
  held: number;
  cancelled: number;
  noShow: number;
}

/** One vendor's resources (or every vendor's) with their counts over local days [from, to], busiest (most held, then made) first. */
export async function resourceTotals(
  db: Queryable,
  q: { vendorId: string | null; from: string; to: string; limit: number },
): Promise<ResourceTotals[]> {
  // Across vendors, whole ISO weeks inside the range come from the weekly rollup and only the days before the first
  // and after the last from the daily one.
  const counts = q.vendorId
    ? `SELECT resource_id, metric, n FROM analytics_resource_daily
        WHERE local_day BETWEEN $1::date AND $2::date AND vendor_id = $4`
    : `SELECT resource_id, metric, n FROM analytics_resource_daily
        WHERE local_day BETWEEN $1::date AND $5::date OR local_day BETWEEN $6::date AND $2::date
       UNION ALL
       SELECT resource_id, m.metric, m.n FROM analytics_resource_weekly
        CROSS JOIN LATERAL (VALUES ('made', made), ('held', held), ('cancelled', cancelled), ('no_show', no_show))
              AS m(metric, n)
        WHERE week BETWEEN $4::date AND $7::date`;
  const rows = await db.query<{
    id: string;
    name: string;
    made: number;
    held: number;
    cancelled: number;
    no_show: number;
  }>(
    `SELECT r.id, r.name, a.made, a.held, a.cancelled, a.no_show
       FROM (SELECT resource_id,
                    coalesce(sum(n) FILTER (WHERE metric = 'made'), 0)::int AS made,
                    coalesce(sum(n) FILTER (WHERE metric = 'held'), 0)::int AS held,
                    coalesce(sum(n) FILTER (WHERE metric = 'cancelled'), 0)::int AS cancelled,
                    coalesce(sum(n) FILTER (WHERE metric = 'no_show'), 0)::int AS no_show
               FROM (${counts}) c
              GROUP BY resource_id
              ORDER BY held DESC, made DESC, resource_id
              LIMIT $3) a
       JOIN resources r ON r.id = a.resource_id
      ORDER BY a.held DESC, a.made DESC, a.resource_id`,
    q.vendorId ? [q.from, q.to, q.limit, q.vendorId] : [q.from, q.to, q.limit, ...weekSplit(q.from, q.to)],
  );
  return rows.map((r) => ({
    resourceId: r.id,
    name: r.name,
    made: Number(r.made),
    held: Number(r.held),
    cancelled: Number(r.cancelled),
    noShow: Number(r.no_show),
  }));
}

const dayMs = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * [from, to] as whole ISO weeks (Mondays firstWeek…lastWeek) and the days around them: [from, headEnd] before and
 * [tailStart, to] after. Without a whole week, the head is the whole range and the tail and weeks are empty.
 */
export function weekSplit(
  from: string,
  to: string,
): [firstWeek: string, headEnd: string, tailStart: string, lastWeek: string] {
  const f = Date.parse(`${from}T00:00:00Z`);
  const t = Date.parse(`${to}T00:00:00Z`);
  const weekday = (ms: number) => (new Date(ms).getUTCDay() + 6) % 7; // Monday 0
  const firstWeek = f + ((7 - weekday(f)) % 7) * dayMs;
  const lastWeek = t - ((weekday(t) + 1) % 7) * dayMs - 6 * dayMs;
  if (firstWeek > lastWeek) return [isoDay(firstWeek), to, isoDay(t + dayMs), isoDay(lastWeek)];
  return [isoDay(firstWeek), isoDay(firstWeek - dayMs), isoDay(lastWeek + 7 * dayMs), isoDay(lastWeek)];
}

/** Bookings made over local days [from, to] per lead-time bucket, with the bucket's summed seconds. */
export async function leadTimeBuckets(
  db: Queryable,
  q: { vendorId: string | null; from: string; to: string },
): Promise<{ bucket: number; count: number; seconds: number }[]> {
  const rows = await db.query<{ bucket: number; count: number; seconds: string }>(
    `SELECT bucket::int AS bucket, sum(n)::int AS count, sum(seconds)::text AS seconds
       FROM analytics_lead_times
      WHERE local_day BETWEEN $1::date AND $2::date ${q.vendorId ? 'AND vendor_id = $3' : ''}
      GROUP BY 1 ORDER BY 1`,
    q.vendorId ? [q.from, q.to, q.vendorId] : [q.from, q.to],
  );
  return rows.map((r) => ({ bucket: Number(r.bucket), count: Number(r.count), seconds: Number(r.seconds) }));
}

export async function addConfirmTimes(tx: Queryable, rows: readonly ConfirmTime[]): Promise<void> {
  if (!rows.length) return;
  // Inserted rows only (a confirmation seen again adds nothing), into the all-vendor histogram too.
  await tx.query(
    `WITH ins AS (
       INSERT INTO analytics_confirm_times (event_id, vendor_id, local_day, seconds)
       SELECT x.event_id, x.vendor_id, (x.at AT TIME ZONE r.timezone)::date, x.seconds
         FROM unnest($1::bigint[], $2::uuid[], $3::uuid[], $4::timestamptz[], $5::int[])
              AS x(event_id, vendor_id, resource_id, at, seconds)
         JOIN resources r ON r.id = x.resource_id
       ON CONFLICT (event_id) DO NOTHING
       RETURNING local_day, seconds AS s
     )
     INSERT INTO analytics_confirm_hist_all (local_day, seconds, n)
     SELECT local_day,
            CASE WHEN s < 600 THEN s WHEN s < 3600 THEN s - s % 10 WHEN s < 86400 THEN s - s % 60 ELSE s - s % 600 END,
            count(*)::int
       FROM ins GROUP BY 1, 2
     ON CONFLICT (local_day, seconds) DO UPDATE SET n = analytics_confirm_hist_all.n + EXCLUDED.n`,
    [
      rows.map((r) => r.eventId),
      rows.map((r) => r.vendorId),
      rows.map((r) => r.resourceId),
      rows.map((r) => r.at),
      rows.map((r) => r.seconds),
    ],
  );
}

export interface HeatmapCell {
  /** ISO weekday: 1 = Monday ... 7 = Sunday. */
  weekday: number;
  hour: number;
  count: number;
}

/** Cells of one metric over local days [from, to], summed by weekday and hour; one vendor or all (null). */
export async function heatmapCells(
  db: Queryable,
  q: { vendorId: string | null; metric: RollupMetric; from: string; to: string },
): Promise<HeatmapCell[]> {
  const rows = await db.query<{ weekday: number; hour: number; count: number }>(
    `SELECT extract(isodow FROM local_day)::int AS weekday, hour::int AS hour, sum(n)::int AS count
       FROM ${q.vendorId ? 'analytics_hourly' : 'analytics_hourly_all'}
      WHERE metric = $1 AND local_day BETWEEN $2::date AND $3::date ${q.vendorId ? 'AND vendor_id = $4' : ''}
      GROUP BY 1, 2 ORDER BY 1, 2`,
    q.vendorId ? [q.metric, q.from, q.to, q.vendorId] : [q.metric, q.from, q.to],
  );
  return rows.map((r) => ({ weekday: Number(r.weekday), hour: Number(r.hour), count: Number(r.count) }));
}

/** Per local day and metric, over [from, to]; days without any count are absent. */
export async function dailyCounts(
  db: Queryable,
  q: { vendorId: string | null; from: string; to: string },
): Promise<{ day: string; metric: RollupMetric; count: number }[]> {
  const rows = await db.query<{ day: string; metric: RollupMetric; count: number }>(
    `SELECT to_char(local_day, 'YYYY-MM-DD') AS day, metric, sum(n)::int AS count
       FROM ${q.vendorId ? 'analytics_hourly' : 'analytics_hourly_all'}
      WHERE local_day BETWEEN $1::date AND $2::date ${q.vendorId ? 'AND vendor_id = $3' : ''}
      GROUP BY 1, 2 ORDER BY 1, 2`,
    q.vendorId ? [q.from, q.to, q.vendorId] : [q.from, q.to],
  );
  return rows.map((r) => ({ day: r.day, metric: r.metric, count: Number(r.count) }));
}

/**
 * The median seconds from request to confirmation over [from, to]; null without any confirmation. One vendor's is
 * exact (its rows); across vendors it is read from the histogram, so it is the bucket's lower bound.
 */
export async function medianConfirmSeconds(
  db: Queryable,
  q: { vendorId: string | null; from: string; to: string },
): Promise<number | null> {
  const [row] = q.vendorId
    ? await db.query<{ median: number | null }>(
        `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS median
           FROM analytics_confirm_times
          WHERE local_day BETWEEN $1::date AND $2::date AND vendor_id = $3`,
        [q.from, q.to, q.vendorId],
      )
    : await db.query<{ median: number | null }>(
        `SELECT seconds AS median FROM (
           SELECT seconds, sum(n) OVER (ORDER BY seconds) AS running, sum(n) OVER () AS total
             FROM (SELECT seconds, sum(n) AS n FROM analytics_confirm_hist_all
                    WHERE local_day BETWEEN $1::date AND $2::date GROUP BY seconds) d
         ) c
         WHERE running * 2 >= total ORDER BY seconds LIMIT 1`,
        [q.from, q.to],
      );
  return row?.median == null ? null : Number(row.median);
}
