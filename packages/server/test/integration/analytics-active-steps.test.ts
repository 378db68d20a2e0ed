import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Role } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addActivity, distinctActive, type UserDayActivity } from '../../src/store/engagement-repo.js';
import { DB_KINDS, freshDb, type TestDb } from '../support/databases.js';

// Weekly and monthly active users come from steps kept by the activity flush (migration 061). Whatever order the
// nodes flush user-days in (late days, several days of one user in one batch, days seen again), the counts must be
// exactly the distinct users active in the 7 and 30 days up to each day, as counted from the user-days themselves.
describe.each(DB_KINDS)('weekly and monthly active users on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDb(kind);
  });
  afterAll(async () => {
    await t?.drop();
  });

  const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);

  it('equal the distinct users of the user-days for every day, whatever the flush order', async () => {
    const users = Array.from({ length: 12 }, () => randomUUID());
    const roles: Role[] = ['customer', 'staff', 'admin'];
    const rows: UserDayActivity[] = [];
    // Deterministic, irregular activity over 80 days: gaps shorter and longer than 7 and 30 days; some users in a
    // second role on some days.
    for (let d = 0; d < 80; d++) {
      users.forEach((userId, i) => {
        if ((d * (i + 3) + i * i) % (i + 2) !== 0 || (i > 8 && d % 40 > 5)) return;
        const role = roles[(i + (d % 11 === 0 ? 1 : 0)) % 3]!;
        rows.push({ day: day(d), userId, role, sessions: 1, connects: 1 });
      });
    }
    // Shuffled (seeded) into batches of 1 to 40 rows; a tenth of the rows again later.
    let seed = 7;
    const rand = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
    const order = [...rows, ...rows.filter((_, i) => i % 10 === 0)]
      .map((r) => ({ r, k: rand() }))
      .sort((a, b) => a.k - b.k)
      .map((x) => x.r);
    while (order.length) {
      const batch = order.splice(0, 1 + Math.floor(rand() * 40));
      const seen = new Set<string>();
      const fresh = batch.filter((r) => !seen.has(r.day + r.userId) && seen.add(r.day + r.userId));
      await t.db.transaction((tx) => addActivity(tx, fresh, []));
    }

    await expectDistinctMatch();
    // Migration 061's backfill derives the same steps from the user-days alone.
    const migration = readFileSync(
      new URL('../../src/store/migrations/061_analytics_distinct_steps_and_resource_weeks.sql', import.meta.url),
      'utf8',
    );
    const backfill = /INSERT INTO analytics_active_steps[^;]*;/.exec(migration)![0];
    await t.db.query('DELETE FROM analytics_active_steps');
    await t.db.query(backfill);
    await expectDistinctMatch();
  });

  async function expectDistinctMatch() {
    for (let d = 0; d < 115; d += 3) {
      const expected = await t.db.query<{ role: Role; weekly: number; monthly: number }>(
        `SELECT role, count(*) FILTER (WHERE last >= $1::date - 6)::int AS weekly, count(*)::int AS monthly
           FROM (SELECT user_id, role, max(day) AS last FROM analytics_user_days
                  WHERE day BETWEEN $1::date - 29 AND $1::date GROUP BY user_id, role) u
          GROUP BY role`,
        [day(d)],
      );
      const want = { weekly: { customer: 0, staff: 0, admin: 0 }, monthly: { customer: 0, staff: 0, admin: 0 } };
      for (const r of expected) {
        want.weekly[r.role] = Number(r.weekly);
        want.monthly[r.role] = Number(r.monthly);
      }
      expect(await distinctActive(t.db, day(d)), day(d)).toEqual(want);
    }
  }
});
