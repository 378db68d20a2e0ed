import type { Db } from '../../packages/server/src/store/db.js';

/**
 * A year of history for the analytics benchmark, generated in PostgreSQL with generate_series (no row crosses into
 * Node): vendors with resources in four zones, customers, `bookings` rows in final states, and the rollup tables as
 * the analytics worker's rules (domain/analytics-rollup.ts) fill them, derived in SQL from the same history. The
 * socket-activity rollups get a plausible year too: `dailyUsers` distinct users a day out of `users`.
 */
export interface HistoryShape {
  bookings: number;
  vendors: number;
  resourcesPerVendor: number;
  /** The history's last UTC day; it covers the 365 days up to it. */
  lastDay: string;
  users: number;
  dailyUsers: number;
  /** Also copy the history into `bookings` (no view reads it; it shows the write cost only). */
  bookingsTable: boolean;
}

const ZONES = ['Europe/Berlin', 'America/New_York', 'Europe/London', 'America/Los_Angeles'];

export async function generateHistory(db: Db, s: HistoryShape, log: (step: string, ms: number) => void) {
  const step = async (name: string, sql: string, params: unknown[] = []) => {
    const t = performance.now();
    await db.query(sql, params);
    log(name, performance.now() - t);
  };
  await step(
    'vendors, resources, services, customers',
    `WITH v AS (
       INSERT INTO vendors (name, slug) SELECT 'Bench vendor ' || i, 'bench-v' || i FROM generate_series(0, $1 - 1) i
       RETURNING id, (substring(slug FROM 8))::int AS i
     ), s AS (
       INSERT INTO services (vendor_id, name, duration_minutes, price_minor, currency)
       SELECT id, 'Appointment', 60, 5000, 'EUR' FROM v RETURNING id, vendor_id
     ), r AS (
       INSERT INTO resources (vendor_id, name, timezone, slot_interval_minutes, weekly_hours)
       SELECT v.id, 'Resource ' || k, ($3::text[])[(v.i % 4) + 1], 30, '{}'::jsonb
         FROM v, generate_series(1, $2) k
       RETURNING id, vendor_id, timezone
     )
     SELECT count(*) FROM r`,
    [s.vendors, s.resourcesPerVendor, ZONES],
  );
  await db.query(
    `INSERT INTO users (email, name, password_hash, role)
     SELECT 'bench-c' || i || '@bench.test', 'Customer ' || i, 'x', 'customer' FROM generate_series(0, 1999) i`,
  );
  await db.query(
    `CREATE UNLOGGED TABLE bench_resources AS
       SELECT (row_number() OVER (ORDER BY r.id) - 1)::int AS idx, r.id AS resource_id, r.vendor_id, r.timezone AS tz,
              s.id AS service_id
         FROM resources r JOIN services s ON s.vendor_id = r.vendor_id;
     CREATE UNIQUE INDEX ON bench_resources (idx)`,
  );
  // Booking g sits on resource g mod n, its starts spread evenly over the year (no two overlap on one resource);
  // made 0 to 30 days before; outcomes by a multiplicative hash of g.
  await step(
    `history (${s.bookings.toLocaleString('en')} bookings)`,
    `CREATE UNLOGGED TABLE bench_history AS
     SELECT g, r.resource_id, r.vendor_id, r.tz, r.service_id, x.start_at,
            x.start_at - ((g * 104729) % 43200) * interval '1 minute' AS created_at,
            CASE WHEN h < 60 THEN 'completed' WHEN h < 70 THEN 'no_show' WHEN h < 85 THEN 'cancelled'
                 WHEN h < 90 THEN 'declined' ELSE 'completed' END AS status,
            -- Four in five are requests a vendor answers; the rest confirmed at once.
            CASE WHEN g % 5 <> 0 AND (h < 85 OR h >= 90) THEN (g * 31) % 7200 END AS confirm_seconds
       FROM generate_series(0::bigint, $1 - 1) g
       JOIN bench_resources r ON r.idx = g % (SELECT count(*) FROM bench_resources)
       CROSS JOIN LATERAL (SELECT (g * 7919) % 100 AS h) hh
       CROSS JOIN LATERAL (
         SELECT ($2::date + 1)::timestamptz - interval '365 days'
                + (g / (SELECT count(*) FROM bench_resources)) * (interval '365 days' / ceil($1::numeric / (SELECT count(*) FROM bench_resources)))
                AS start_at
       ) x`,
    [s.bookings, s.lastDay],
  );
  if (s.bookingsTable)
    await step(
      'bookings',
      `INSERT INTO bookings (vendor_id, resource_id, service_id, customer_id, status, start_at, end_at, block_start,
                           block_end, price_minor, currency, updated_by_role, created_at, updated_at)
     SELECT h.vendor_id, h.resource_id, h.service_id, c.id, h.status, h.start_at, h.start_at + interval '1 hour',
            h.start_at, h.start_at + interval '1 hour', 5000, 'EUR', 'staff', h.created_at, h.start_at
       FROM bench_history h
       JOIN (SELECT id, (row_number() OVER (ORDER BY id) - 1)::int AS i FROM users WHERE role = 'customer') c
         ON c.i = h.g % 2000`,
    );
  const facts = `
    SELECT vendor_id, resource_id, tz, 'made' AS metric, created_at AS at FROM bench_history
    UNION ALL SELECT vendor_id, resource_id, tz, 'held', start_at FROM bench_history WHERE status = 'completed'
    UNION ALL SELECT vendor_id, resource_id, tz, 'no_show', start_at FROM bench_history WHERE status = 'no_show'
    UNION ALL SELECT vendor_id, resource_id, tz, 'cancelled', created_at + interval '1 hour'
                FROM bench_history WHERE status = 'cancelled'
    UNION ALL SELECT vendor_id, resource_id, tz, 'confirmed', created_at + confirm_seconds * interval '1 second'
                FROM bench_history WHERE confirm_seconds IS NOT NULL`;
  await step(
    'rollups: analytics_hourly',
    `INSERT INTO analytics_hourly (vendor_id, metric, local_day, hour, n)
     SELECT vendor_id, metric, (at AT TIME ZONE tz)::date, extract(hour FROM at AT TIME ZONE tz), count(*)
       FROM (${facts}) f GROUP BY 1, 2, 3, 4`,
  );
  await step(
    'rollups: analytics_hourly_all',
    `INSERT INTO analytics_hourly_all (metric, local_day, hour, n)
     SELECT metric, local_day, hour, sum(n) FROM analytics_hourly GROUP BY 1, 2, 3`,
  );
  await step(
    'rollups: analytics_resource_daily',
    `INSERT INTO analytics_resource_daily (resource_id, vendor_id, metric, local_day, n)
     SELECT resource_id, vendor_id, metric, (at AT TIME ZONE tz)::date, count(*) FROM (${facts}) f GROUP BY 1, 2, 3, 4`,
  );
  await step(
    'rollups: analytics_resource_weekly',
    `INSERT INTO analytics_resource_weekly (week, resource_id, made, held, cancelled, no_show)
     SELECT date_trunc('week', local_day)::date, resource_id,
            coalesce(sum(n) FILTER (WHERE metric = 'made'), 0), coalesce(sum(n) FILTER (WHERE metric = 'held'), 0),
            coalesce(sum(n) FILTER (WHERE metric = 'cancelled'), 0),
            coalesce(sum(n) FILTER (WHERE metric = 'no_show'), 0)
       FROM analytics_resource_daily WHERE metric <> 'confirmed' GROUP BY 1, 2`,
  );
  await step(
    'rollups: analytics_lead_times, analytics_confirm_times',
    `INSERT INTO analytics_lead_times (vendor_id, local_day, bucket, n, seconds)
     SELECT vendor_id, (created_at AT TIME ZONE tz)::date,
            CASE WHEN s < 3600 THEN 0 WHEN s < 86400 THEN 1 WHEN s < 259200 THEN 2 WHEN s < 604800 THEN 3
                 WHEN s < 2592000 THEN 4 ELSE 5 END, count(*), sum(s)
       FROM (SELECT *, extract(epoch FROM start_at - created_at)::bigint AS s FROM bench_history) h
      GROUP BY 1, 2, 3;
     -- Far above the log's ids, so the worker phase's rows never meet these.
     INSERT INTO analytics_confirm_times (event_id, vendor_id, local_day, seconds)
     SELECT 1000000000000 + g, vendor_id, ((created_at + confirm_seconds * interval '1 second') AT TIME ZONE tz)::date,
            confirm_seconds
       FROM bench_history WHERE confirm_seconds IS NOT NULL`,
  );
  await step(
    'rollups: analytics_confirm_hist_all',
    `INSERT INTO analytics_confirm_hist_all (local_day, seconds, n)
     SELECT local_day,
            CASE WHEN seconds < 600 THEN seconds WHEN seconds < 3600 THEN seconds - seconds % 10
                 WHEN seconds < 86400 THEN seconds - seconds % 60 ELSE seconds - seconds % 600 END,
            count(*)
       FROM analytics_confirm_times GROUP BY 1, 2`,
  );
  await step(
    'rollups: analytics_user_days',
    `INSERT INTO analytics_user_days (day, user_id, role, sessions, connects)
     SELECT d::date, md5('bench-user-' || u)::uuid,
            CASE WHEN u % 1000 = 0 THEN 'admin' WHEN u % 50 = 0 THEN 'staff' ELSE 'customer' END,
            1 + (u % 3), 1 + (u % 5)
       FROM generate_series($1::date - 364, $1::date, interval '1 day') d,
            LATERAL (SELECT (((d::date - $1::date) * 7919 + j * 31) % $2 + $2) % $2 AS u
                       FROM generate_series(0, $3 - 1) j) x
     ON CONFLICT DO NOTHING`,
    [s.lastDay, s.users, s.dailyUsers],
  );
  await step(
    'rollups: analytics_active_daily',
    `INSERT INTO analytics_active_daily (day, role, users, sessions, connects)
     SELECT day, role, count(*), sum(sessions), sum(connects) FROM analytics_user_days GROUP BY 1, 2`,
  );
  await step(
    'rollups: analytics_active_steps',
    // Migration 061's rule: each user-day covers the windows from it to the next day in its role, at most 7 (30).
    `INSERT INTO analytics_active_steps (day, role, weekly, monthly)
     SELECT s.day, u.role, sum(s.w), sum(s.m)
       FROM (SELECT role, day, lead(day) OVER (PARTITION BY user_id, role ORDER BY day) AS next
               FROM analytics_user_days) u
      CROSS JOIN LATERAL (VALUES (u.day, 1, 1), (least(u.day + 7, u.next), -1, 0), (least(u.day + 30, u.next), 0, -1))
            s(day, w, m)
      GROUP BY 1, 2`,
  );
  await step(
    'rollups: analytics_socket_hours',
    `INSERT INTO analytics_socket_hours (hour_start, connects, socket_seconds)
     SELECT t, 500 + (extract(hour FROM t)::int * 37) % 400, 3600 * (200 + (extract(hour FROM t)::int * 53) % 300)
       FROM generate_series(($1::date - 364)::timestamptz, ($1::date + 1)::timestamptz - interval '1 hour',
                            interval '1 hour') t`,
    [s.lastDay],
  );
  await step('ANALYZE', 'ANALYZE');
}

/**
 * The log events of `count` bookings of the history (their creation, a vendor's confirmation, and the outcome), as
 * the write path would have appended them; for the worker's rate. Returns the number of events.
 */
export async function appendHistoryEvents(db: Db, count: number): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    `WITH h AS (SELECT * FROM bench_history ORDER BY g LIMIT $1),
     e AS (
       SELECT 0 AS k, CASE WHEN confirm_seconds IS NULL THEN 'booking.confirmed' ELSE 'booking.requested' END AS type,
              NULL::text AS previous, created_at AS at, h.* FROM h
       UNION ALL
       SELECT 1, 'booking.confirmed', 'requested', created_at + confirm_seconds * interval '1 second', h.*
         FROM h WHERE confirm_seconds IS NOT NULL
       UNION ALL
       SELECT 2, 'booking.' || status, 'confirmed',
              CASE WHEN status = 'cancelled' THEN created_at + interval '1 hour' ELSE start_at + interval '1 hour' END,
              h.*
         FROM h WHERE status IN ('completed', 'no_show', 'cancelled')
     ),
     ins AS (
       INSERT INTO events (type, booking_id, vendor_id, resource_id, payload, occurred_at, published_at)
       SELECT type, md5('b' || g)::uuid, vendor_id, resource_id,
              jsonb_build_object(
                'booking', jsonb_build_object('id', md5('b' || g)::uuid, 'vendorId', vendor_id, 'resourceId', resource_id,
                  'status', substring(type FROM 9), 'startAt', to_char(start_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                  'endAt', to_char((start_at + interval '1 hour') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                  'createdAt', to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
                'previousStatus', previous, 'actor', jsonb_build_object('role', 'system', 'userId', NULL), 'reason', NULL),
              at, now()
         FROM e ORDER BY g, k
       RETURNING 1
     )
     SELECT count(*)::int AS n FROM ins`,
    [count],
  );
  return Number(row?.n ?? 0);
}
