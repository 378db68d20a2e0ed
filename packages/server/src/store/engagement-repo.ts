import type { Role } from '@slotcast/protocol';
import type { Queryable } from './db.js';

// Engagement rollups (migrations 056, 061), fed from sockets by usecases/socket-activity.ts: a node adds its batch of
// activity once per flush, two statements whatever the number of sockets.

export interface UserDayActivity {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  userId: string;
  role: Role;
  sessions: number;
  connects: number;
}
export interface SocketHourActivity {
  /** Start of the UTC hour, ISO. */
  hourStart: string;
  connects: number;
  socketSeconds: number;
}

/** Advisory lock key serialising activity flushes across nodes (the relay's leadership lock is another). */
const ACTIVITY_FLUSH_LOCK = 0x5107_ac71;

/** Adds a node's batch of activity; call in a transaction (it takes a transaction-scoped lock). */
export async function addActivity(
  db: Queryable,
  users: readonly UserDayActivity[],
  hours: readonly SocketHourActivity[],
): Promise<void> {
  if (users.length) {
    // Nodes flush one at a time: the steps of a new user-day depend on the user's other days, which a concurrent
    // flush of another day of the same user (two tabs on two nodes across midnight) would not see yet. Call inside
    // a transaction; the lock is released at its end.
    await db.query('SELECT pg_advisory_xact_lock($1)', [ACTIVITY_FLUSH_LOCK]);
    // A user's first row of a day (xmax = 0: inserted, not updated) adds them to the day's active users once.
    await db.query(
      `WITH x AS (
         SELECT * FROM unnest($1::date[], $2::uuid[], $3::text[], $4::int[], $5::int[])
                AS x(day, user_id, role, sessions, connects)
       ), up AS (
         INSERT INTO analytics_user_days (day, user_id, role, sessions, connects) SELECT * FROM x
         ON CONFLICT (day, user_id) DO UPDATE SET sessions = analytics_user_days.sessions + EXCLUDED.sessions,
           connects = analytics_user_days.connects + EXCLUDED.connects
         RETURNING day, user_id, role, (xmax = 0) AS first
       ), fresh AS (
         -- New user-days, with the user's previous day in the role before this batch (this statement's snapshot
         -- does not see the rows it inserts) and their next day before or in it. The next new day in the batch is a
         -- window over the batch: a subquery per row scanned the whole batch for each new day (19,000 users' first
         -- connects of a day took ~45 s of PostgreSQL CPU in one flush).
         SELECT f.day, f.role,
                (SELECT max(e.day) FROM analytics_user_days e
                  WHERE e.user_id = f.user_id AND e.role = f.role AND e.day < f.day) AS prev,
                least((SELECT min(e.day) FROM analytics_user_days e
                        WHERE e.user_id = f.user_id AND e.role = f.role AND e.day > f.day),
                      f.next_in_batch) AS next
           FROM (SELECT b.day, b.user_id, b.role,
                        lead(b.day) OVER (PARTITION BY b.user_id, b.role ORDER BY b.day) AS next_in_batch
                   FROM up b WHERE b.first) f
       ), steps AS (
         -- The 7- and 30-day windows a new day covers first (migration 061): +1 where they start, -1 after.
         INSERT INTO analytics_active_steps (day, role, weekly, monthly)
         SELECT s.day, f.role, sum(s.w), sum(s.m)
           FROM fresh f
          CROSS JOIN LATERAL (VALUES
            (greatest(f.day, f.prev + 7), 1, 0, greatest(f.day, f.prev + 7) < least(f.day + 7, f.next)),
            (least(f.day + 7, f.next), -1, 0, greatest(f.day, f.prev + 7) < least(f.day + 7, f.next)),
            (greatest(f.day, f.prev + 30), 0, 1, greatest(f.day, f.prev + 30) < least(f.day + 30, f.next)),
            (least(f.day + 30, f.next), 0, -1, greatest(f.day, f.prev + 30) < least(f.day + 30, f.next))
          ) s(day, w, m, covers)
          WHERE s.covers
          GROUP BY 1, 2
         ON CONFLICT (day, role) DO UPDATE SET weekly = analytics_active_steps.weekly + EXCLUDED.weekly,
           monthly = analytics_active_steps.monthly + EXCLUDED.monthly
       )
       INSERT INTO analytics_active_daily (day, role, users, sessions, connects)
       SELECT up.day, up.role, count(*) FILTER (WHERE up.first), sum(x.sessions), sum(x.connects)
         FROM up JOIN x ON x.day = up.day AND x.user_id = up.user_id
        GROUP BY 1, 2
       ON CONFLICT (day, role) DO UPDATE SET users = analytics_active_daily.users + EXCLUDED.users,
         sessions = analytics_active_daily.sessions + EXCLUDED.sessions,
         connects = analytics_active_daily.connects + EXCLUDED.connects`,
      [
        users.map((u) => u.day),
        users.map((u) => u.userId),
        users.map((u) => u.role),
        users.map((u) => u.sessions),
        users.map((u) => u.connects),
      ],
    );
  }
  if (hours.length) {
    await db.query(
      `INSERT INTO analytics_socket_hours (hour_start, connects, socket_seconds)
       SELECT * FROM unnest($1::timestamptz[], $2::int[], $3::bigint[])
       ON CONFLICT (hour_start) DO UPDATE SET connects = analytics_socket_hours.connects + EXCLUDED.connects,
         socket_seconds = analytics_socket_hours.socket_seconds + EXCLUDED.socket_seconds`,
      [hours.map((h) => h.hourStart), hours.map((h) => h.connects), hours.map((h) => Math.round(h.socketSeconds))],
    );
  }
}

export interface RoleCounts {
  customer: number;
  staff: number;
  admin: number;
}
const roleCounts = (rows: { role: Role; n: number }[]): RoleCounts => {
  const out: RoleCounts = { customer: 0, staff: 0, admin: 0 };
  for (const r of rows) out[r.role] = Number(r.n);
  return out;
};

/** Active users per UTC day and role over [from, to], with the day's sessions; days without activity are absent. */
export async function dailyActive(
  db: Queryable,
  q: { from: string; to: string },
): Promise<{ day: string; role: Role; users: number; sessions: number; connects: number }[]> {
  const rows = await db.query<{ day: string; role: Role; users: number; sessions: number; connects: number }>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, role, users, sessions, connects
       FROM analytics_active_daily WHERE day BETWEEN $1::date AND $2::date ORDER BY 1, 2`,
    [q.from, q.to],
  );
  return rows.map((r) => ({
    day: r.day,
    role: r.role,
    users: Number(r.users),
    sessions: Number(r.sessions),
    connects: Number(r.connects),
  }));
}

/**
 * Distinct users by role active in the 7 and the 30 days up to `to`: the sum of the steps up to it (migration 061),
 * a few rows per day of history. A user seen in two roles counts in each.
 */
export async function distinctActive(db: Queryable, to: string): Promise<{ weekly: RoleCounts; monthly: RoleCounts }> {
  const rows = await db.query<{ role: Role; weekly: number; monthly: number }>(
    `SELECT role, sum(weekly)::int AS weekly, sum(monthly)::int AS monthly
       FROM analytics_active_steps WHERE day <= $1::date GROUP BY role`,
    [to],
  );
  const pick = (k: 'weekly' | 'monthly') => roleCounts(rows.map((r) => ({ role: r.role, n: r[k] })));
  return { weekly: pick('weekly'), monthly: pick('monthly') };
}

/** Socket connects and mean open sockets by ISO weekday and hour of `timeZone`, over its local days [from, to]. */
export async function socketHeatmapCells(
  db: Queryable,
  q: { from: string; to: string; timeZone: string },
): Promise<{ weekday: number; hour: number; connects: number; socketSeconds: number }[]> {
  const rows = await db.query<{ weekday: number; hour: number; connects: number; socket_seconds: string }>(
    `SELECT extract(isodow FROM hour_start AT TIME ZONE $3)::int AS weekday,
            extract(hour FROM hour_start AT TIME ZONE $3)::int AS hour,
            sum(connects)::int AS connects, sum(socket_seconds)::text AS socket_seconds
       FROM analytics_socket_hours
      WHERE hour_start >= ($1::date::timestamp AT TIME ZONE $3)
        AND hour_start < (($2::date + 1)::timestamp AT TIME ZONE $3)
      GROUP BY 1, 2 ORDER BY 1, 2`,
    [q.from, q.to, q.timeZone],
  );
  return rows.map((r) => ({
    weekday: Number(r.weekday),
    hour: Number(r.hour),
    connects: Number(r.connects),
    socketSeconds: Number(r.socket_seconds),
  }));
}
