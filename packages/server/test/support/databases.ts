import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { Db } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { openPglite } from '../../src/store/pglite.js';
import { openPostgres } from '../../src/store/postgres.js';

export type DbKind = 'pglite' | 'postgres';

/** Both databases when PostgreSQL is reachable (always in CI), else PGlite alone (global-setup says why). */
export const DB_KINDS: DbKind[] = inject('pgUrl') ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDb {
  db: Db;
  /** Connection string of the fresh PostgreSQL database (null for PGlite). */
  url: string | null;
  drop(): Promise<void>;
}

/** A fresh, migrated, empty database of the given kind; each suite gets its own, so files run in parallel. */
export async function freshDb(kind: DbKind): Promise<TestDb> {
  if (kind === 'pglite') {
    const db = await openPglite();
    await migrate(db);
    return { db, url: null, drop: () => db.close() };
  }
  const adminUrl = inject('pgUrl');
  if (!adminUrl) throw new Error('PostgreSQL is not available');
  const name = `slotcast_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openPostgres(url.toString(), { poolSize: 20 });
  await migrate(db);
  return {
    db,
    url: url.toString(),
    async drop() {
      await db.close();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
