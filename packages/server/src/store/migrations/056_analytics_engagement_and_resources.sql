-- Vendor insights: counts per resource and local day (busiest resources), and the lead time of bookings made
-- (booking made → appointment start) in buckets, with their sum for the mean. Kept by the analytics worker in its
-- consumer transaction, like analytics_hourly.
CREATE TABLE analytics_resource_daily (
  resource_id uuid NOT NULL,
  vendor_id uuid NOT NULL,
  metric text NOT NULL CHECK (metric IN ('made', 'held', 'confirmed', 'cancelled', 'no_show')),
  local_day date NOT NULL,
  n integer NOT NULL,
  PRIMARY KEY (vendor_id, local_day, resource_id, metric)
);

CREATE TABLE analytics_lead_times (
  vendor_id uuid NOT NULL,
  local_day date NOT NULL,
  -- domain/analytics-rollup.ts LEAD_BUCKETS: 0 = under an hour … 5 = 30 days or more.
  bucket smallint NOT NULL CHECK (bucket BETWEEN 0 AND 5),
  n integer NOT NULL,
  seconds bigint NOT NULL,
  PRIMARY KEY (vendor_id, local_day, bucket)
);

-- Engagement, from sockets (connects are not in the event log). Each node batches its sockets' activity in memory
-- and adds it here once a flush interval (usecases/socket-activity.ts): one row per user and UTC day, and one per
-- UTC hour across the system.
CREATE TABLE analytics_user_days (
  day date NOT NULL,
  user_id uuid NOT NULL,
  role text NOT NULL CHECK (role IN ('customer', 'staff', 'admin')),
  sessions integer NOT NULL,
  connects integer NOT NULL,
  PRIMARY KEY (day, user_id)
);

-- Per UTC day and role: users active (a user counts once a day, in the role of their first connection that day), and
-- their sessions and connects; kept with analytics_user_days in the same statement, so the daily series reads a few
-- rows per day instead of every user's.
CREATE TABLE analytics_active_daily (
  day date NOT NULL,
  role text NOT NULL,
  users integer NOT NULL,
  sessions integer NOT NULL,
  connects integer NOT NULL,
  PRIMARY KEY (day, role)
);

CREATE TABLE analytics_socket_hours (
  hour_start timestamptz PRIMARY KEY,
  connects integer NOT NULL,
  -- Open sockets × seconds they were open within the hour, summed over nodes: / 3600 is the mean open sockets.
  socket_seconds bigint NOT NULL
);

-- Views across all vendors read a system-wide copy of analytics_hourly (a few thousand rows a year) instead of
-- summing every vendor's cells; kept by the same worker batch. Counts rolled up before this table existed carry over.
CREATE TABLE analytics_hourly_all (
  metric text NOT NULL,
  local_day date NOT NULL,
  hour smallint NOT NULL,
  n integer NOT NULL,
  PRIMARY KEY (metric, local_day, hour)
);
INSERT INTO analytics_hourly_all (metric, local_day, hour, n)
SELECT metric, local_day, hour, sum(n)::int FROM analytics_hourly GROUP BY 1, 2, 3;

-- All-vendor reads by day: the median time to confirm (index-only) and the busiest resources.
CREATE INDEX analytics_confirm_times_day ON analytics_confirm_times (local_day) INCLUDE (seconds);
CREATE INDEX analytics_resource_daily_day ON analytics_resource_daily (local_day);

-- The median time to confirm across all vendors reads counts per day and (bucketed) seconds instead of every
-- confirmation: exact below 10 minutes, to 10 s below an hour, to the minute below a day, then to 10 minutes.
CREATE TABLE analytics_confirm_hist_all (
  local_day date NOT NULL,
  seconds integer NOT NULL,
  n integer NOT NULL,
  PRIMARY KEY (local_day, seconds)
);
INSERT INTO analytics_confirm_hist_all (local_day, seconds, n)
SELECT local_day,
       CASE WHEN seconds < 600 THEN seconds WHEN seconds < 3600 THEN seconds - seconds % 10
            WHEN seconds < 86400 THEN seconds - seconds % 60 ELSE seconds - seconds % 600 END,
       count(*)::int
  FROM analytics_confirm_times GROUP BY 1, 2;
