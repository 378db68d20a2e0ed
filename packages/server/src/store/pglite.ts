import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import type { Db, Queryable } from './db.js';

/**
 * Embedded PostgreSQL (WASM) for `npm start` on a laptop. One connection: PGlite serialises
 * transactions itself, so the exclusion constraint and the event-log order hold as on a server.
 * `dataDir` undefined means in-memory (tests).
 */
export async function openPglite(dataDir?: string): Promise<Db> {
  const pg = await PGlite.create(dataDir ?? 'memory://', { extensions: { btree_gist } });
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<T>(sql: string, params?: readonly unknown[]) {
      const res = await q.query<T>(sql, params as unknown[] | undefined);
      return res.rows;
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  const base = wrap(pg);
  return {
    kind: 'pglite',
    query: base.query,
    exec: base.exec,
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    async listen(channel, onNotify) {
      const unsub = await pg.listen(channel, onNotify);
      return async () => unsub();
    },
    // PGlite queues its callers itself, without a bound: nothing is shed.
    stats: () => ({
      total: 1,
      idle: 1,
      waiting: 0,
      queueLimit: Number.POSITIVE_INFINITY,
      shed: 0,
      expectedWaitMs: 0,
      maxWaitMs: Number.POSITIVE_INFINITY,
      saturated: false,
    }),
    close: () => pg.close(),
  };
}
