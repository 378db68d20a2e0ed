-- Weekly and monthly active users (distinct users by role active in the 7 / 30 days up to a day) without reading
-- every user-day: a user's active days cover the windows ending on those days up to 6 (29) days later; a window
-- ending on day t counts a user once if any of their days covers it. Each new user-day adds the windows it covers
-- first — from max(day, previous day + 7) to min(day + 6, next day - 1) — as +1 where that range starts and -1 after
-- it ends, so the count for t is the sum of the steps up to t (a few rows per day). Kept by the activity flush in
-- the statement that inserts the user-day (store/engagement-repo.ts); the same rule fills it below.
CREATE TABLE analytics_active_steps (
  day date NOT NULL,
  role text NOT NULL,
  weekly integer NOT NULL,
  monthly integer NOT NULL,
  PRIMARY KEY (day, role)
);
-- The flush finds a new user-day's neighbours in the same role.
CREATE INDEX analytics_user_days_user ON analytics_user_days (user_id, role, day);

INSERT INTO analytics_active_steps (day, role, weekly, monthly)
SELECT s.day, u.role, sum(s.w), sum(s.m)
  FROM (SELECT role, day, lead(day) OVER (PARTITION BY user_id, role ORDER BY day) AS next
          FROM analytics_user_days) u
 CROSS JOIN LATERAL (VALUES (u.day, 1, 1),
                            (least(u.day + 7, u.next), -1, 0),
                            (least(u.day + 30, u.next), 0, -1)) s(day, w, m)
 GROUP BY 1, 2;

-- Busiest resources across all vendors read whole ISO weeks (Monday) here and only the days at the ends of the range
-- from analytics_resource_daily: a 90-day range reads ≈ 13 weeks × resources rows plus ≤ 12 days' instead of 90
-- days × resources × metrics. Kept by the analytics worker with analytics_resource_daily.
CREATE TABLE analytics_resource_weekly (
  week date NOT NULL,
  resource_id uuid NOT NULL,
  made integer NOT NULL,
  held integer NOT NULL,
  cancelled integer NOT NULL,
  no_show integer NOT NULL,
  PRIMARY KEY (week, resource_id)
);
INSERT INTO analytics_resource_weekly (week, resource_id, made, held, cancelled, no_show)
SELECT date_trunc('week', local_day)::date, resource_id,
       coalesce(sum(n) FILTER (WHERE metric = 'made'), 0), coalesce(sum(n) FILTER (WHERE metric = 'held'), 0),
       coalesce(sum(n) FILTER (WHERE metric = 'cancelled'), 0), coalesce(sum(n) FILTER (WHERE metric = 'no_show'), 0)
  FROM analytics_resource_daily
 WHERE metric <> 'confirmed'
 GROUP BY 1, 2;
