import { SlotcastError } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/db.js';
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
