import { SlotcastError } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, ping } from '../../src/store/db.js';
import { openPostgres } from '../../src/store/postgres.js';
import { DB_KINDS, freshDb, type TestDb } from '../support/databases.js';

// PGlite has no pool (one connection, its own queue); the bound is PostgreSQL's.
describe.skipIf(!DB_KINDS.includes('postgres'))('the PostgreSQL pool under overload', () => {
  let testDb: TestDb;
  let db: Db;

  beforeAll(async () => {
    testDb = await freshDb('postgres');
    db = await openPostgres(testDb.url!, { poolSize: 1, queueLimit: 2 });
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  /** Holds the pool's only connection until the returned function is called. */
  async function occupy(pool: Db): Promise<{ release: () => void; done: Promise<void> }> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let holding!: () => void;
    const started = new Promise<void>((resolve) => {
      holding = resolve;
    });
    const done = pool.transaction(async (tx) => {
      await tx.query('SELECT 1');
      holding();
      await held;
    });
    await started;
    return { release, done };
  }

  it('sheds a caller expected to wait longer than the bound, with a retry time, says so in readiness, and serves the queue', async () => {
    let clock = 0;
    // No burst allowance here: the bound on expected wait applies from the first waiting caller.
    const timed = await openPostgres(testDb.url!, {
      poolSize: 1,
      queueLimit: 100,
      maxWaitMs: 100,
      burst: 0,
      now: () => clock,
    });
    try {
      // One checkout held for 60 ms: the queue drains one caller per 60 ms.
      await timed.transaction(async (tx) => {
        await tx.query('SELECT 1');
        clock += 60;
      });
      const busy = await occupy(timed);
      // Expected to wait 60 ms (behind the busy connection): admitted.
      const queued = timed.query<{ n: number }>('SELECT 1 AS n');
      expect(timed.stats()).toMatchObject({ waiting: 1, expectedWaitMs: 120, maxWaitMs: 100, saturated: true });
      await expect(ping(timed)).rejects.toThrow(/saturated: 1 waiting, expected wait 120 ms/);

      // Expected to wait 120 ms: shed at once, far below the count bound of 100.
      const shed = await timed.query('SELECT 2').catch((err: unknown) => err);
      expect(shed).toBeInstanceOf(SlotcastError);
      expect(shed).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503, extensions: { retryAfterMs: 1000 } });
      expect(timed.stats().shed).toBe(1);

      busy.release();
      await busy.done;
      expect((await queued)[0]!.n).toBe(1);
      expect(timed.stats()).toMatchObject({ waiting: 0, expectedWaitMs: 0, saturated: false, shed: 1 });
      await ping(timed);
    } finally {
      await timed.close();
    }
  });

  it('queues callers up to the limit, sheds the next with SERVICE_UNAVAILABLE and a retry time, then serves the queue', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let holding!: () => void;
    const started = new Promise<void>((resolve) => {
      holding = resolve;
    });
    // The only connection is busy until we say so.
    const busy = db.transaction(async (tx) => {
      await tx.query('SELECT 1');
      holding();
      await held;
    });
    await started;
    const queued = [db.query<{ n: number }>('SELECT 1 AS n'), db.query<{ n: number }>('SELECT 2 AS n')];
    expect(db.stats()).toMatchObject({ waiting: 2, queueLimit: 2, shed: 0 });

    const shed = await db.query('SELECT 3').catch((err: unknown) => err);
    expect(shed).toBeInstanceOf(SlotcastError);
    expect(shed).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503, extensions: { retryAfterMs: 1000 } });
    expect(db.stats().shed).toBe(1);

    release();
    await busy;
    // What was queued is served, not dropped.
    expect((await Promise.all(queued)).map((rows) => rows[0]!.n)).toEqual([1, 2]);
    expect(db.stats()).toMatchObject({ waiting: 0, shed: 1 });
  });
});
