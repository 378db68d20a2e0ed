import pg from 'pg';
import type { Db, Queryable } from './db.js';

// Event ids and counts are bigint; they stay far below 2^53, so numbers are exact and easier on the wire.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 && format !== 'binary') return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

export async function openPostgres(url: string, opts: { poolSize?: number } = {}): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    types,
  });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on('error', () => {});
  const base: Queryable = {
    async query<T>(sql: string, params?: readonly unknown[]) {
      const res = await pool.query(sql, params as unknown[] | undefined);
      return res.rows as T[];
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
  };
  let listener: pg.Client | null = null;
  const handlers = new Map<string, Set<(payload: string) => void>>();

  async function ensureListener(): Promise<pg.Client> {
    if (listener) return listener;
    const client = new pg.Client({ connectionString: url, types });
    client.on('notification', (n) => {
      for (const h of handlers.get(n.channel) ?? []) h(n.payload ?? '');
    });
    client.on('error', () => {
      // Dropped: the next listen() reconnects; subscribers also poll, so nothing is lost meanwhile.
      listener = null;
    });
    await client.connect();
    listener = client;
    for (const channel of handlers.keys()) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    return client;
  }

  return {
    kind: 'postgres',
    query: base.query,
    exec: base.exec,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({
          async query<T>(sql: string, params?: readonly unknown[]) {
            const res = await client.query(sql, params as unknown[] | undefined);
            return res.rows as T[];
          },
          async exec(sql: string) {
            await client.query(sql);
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async listen(channel, onNotify) {
      let set = handlers.get(channel);
      const first = !set;
      if (!set) handlers.set(channel, (set = new Set()));
      set.add(onNotify);
      try {
        const client = await ensureListener();
        if (first) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      } catch {
        // Database unreachable now: polling covers us until it returns.
      }
      return async () => {
        set.delete(onNotify);
      };
    },
    stats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async close() {
      await listener?.end().catch(() => {});
      await pool.end();
    },
  };
}
