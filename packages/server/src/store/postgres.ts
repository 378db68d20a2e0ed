import pg from 'pg';
import { type Db, namedDbError, type Queryable } from './db.js';
import { PoolAdmission } from './pool-admission.js';

// Event ids and counts are bigint; they stay far below 2^53, so numbers are exact and easier on the wire.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 && format !== 'binary') return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

// Named prepared statements are per connection and live as long as it: cap how many distinct texts get a name.
const MAX_NAMED_STATEMENTS = 256;

export interface PostgresOptions {
  poolSize?: number;
  /**
   * Callers that may wait for a connection at once, whatever their expected wait (a bound on memory). Beyond it the
   * pool sheds: SERVICE_UNAVAILABLE with Retry-After, at once.
   */
  queueLimit?: number;
  /**
   * The longest wait for a connection a caller is admitted to, estimated from the queue's length and how long
   * connections are held (store/pool-admission.ts); once `burst` callers wait, one expected to wait longer is shed
   * at once.
   */
  maxWaitMs?: number;
  /** Callers always queued, whatever their expected wait: a burst (a 200-request slot race) is served, not shed. */
  burst?: number;
  /** The clock hold times are measured with (tests). */
  now?: () => number;
}

export const DEFAULT_POOL_QUEUE_LIMIT = 500;
export const DEFAULT_POOL_MAX_WAIT_MS = 1_000;
// A 200-request burst, plus the node's own workers queued beside it.
export const DEFAULT_POOL_BURST = 250;

export async function openPostgres(url: string, opts: PostgresOptions = {}): Promise<Db> {
  const queueLimit = opts.queueLimit ?? DEFAULT_POOL_QUEUE_LIMIT;
  const maxWaitMs = opts.maxWaitMs ?? DEFAULT_POOL_MAX_WAIT_MS;
  const size = opts.poolSize ?? 10;
  const pool = new pg.Pool({
    connectionString: url,
    max: size,
    // Waiting is bounded by admission, not by a clock; this only catches a database that stopped answering.
    connectionTimeoutMillis: 30_000,
    idleTimeoutMillis: 30_000,
    types,
  });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on('error', () => {});

  const burst = Math.min(opts.burst ?? DEFAULT_POOL_BURST, queueLimit);
  const admission = new PoolAdmission({ size, queueLimit, maxWaitMs, burst, now: opts.now });
  // Every checkout, by pool.query or pool.connect, is timed from acquire to release: the queue drains at that pace.
  const holds = new WeakMap<pg.PoolClient, () => void>();
  pool.on('acquire', (client) => holds.set(client, admission.checkedOut()));
  pool.on('release', (_err, client) => {
    holds.get(client)?.();
    holds.delete(client);
  });
  const load = () => ({
    waiting: pool.waitingCount,
    free: pool.idleCount > 0 || pool.totalCount < size,
  });
  /** Refuses a caller expected to wait too long for a connection (or finding the queue full). */
  const admit = () => admission.admit(load());

  // Named prepared statements: PostgreSQL parses and plans each fixed statement of store/ once per connection instead
  // of on every call. Every statement there is a constant text, so the map stays small.
  const names = new Map<string, string>();
  const statement = (text: string, params?: readonly unknown[]): pg.QueryConfig => {
    const values = params as unknown[] | undefined;
    if (!values?.length) return { text };
    let name = names.get(text);
    if (name === undefined && names.size < MAX_NAMED_STATEMENTS) {
      name = `slotcast_${names.size}`;
      names.set(text, name);
    }
    return name === undefined ? { text, values } : { name, text, values };
  };

  const base: Queryable = {
    async query<T>(sql: string, params?: readonly unknown[]) {
      admit();
      try {
        const res = await pool.query(statement(sql, params));
        return res.rows as T[];
      } catch (err) {
        throw namedDbError(err);
      }
    },
    async exec(sql: string) {
      await pool.query(sql).catch((err: unknown) => {
        throw namedDbError(err);
      });
    },
  };
  let listener: pg.Client | null = null;
  const handlers = new Map<string, Set<(payload: string) => void>>();

  let closed = false;
  let reconnectTimer: NodeJS.Timeout | null = null;
  let reconnectDelay = 500;
  function scheduleReconnect() {
    if (closed || reconnectTimer || handlers.size === 0) return;
    reconnectTimer = setTimeout(async () => {
      reconnectTimer = null;
      try {
        await ensureListener();
        reconnectDelay = 500;
      } catch {
        reconnectDelay = Math.min(reconnectDelay * 2, 10_000);
        scheduleReconnect();
      }
    }, reconnectDelay);
    reconnectTimer.unref();
  }

  async function ensureListener(): Promise<pg.Client> {
    if (listener) return listener;
    const client = new pg.Client({ connectionString: url, types });
    client.on('notification', (n) => {
      for (const h of handlers.get(n.channel) ?? []) h(n.payload ?? '');
    });
    const dropped = () => {
      if (listener !== client) return;
      // Subscribers also poll, so nothing is lost while the listener is gone; reconnect in the background.
      listener = null;
      client.end().catch(() => {});
      scheduleReconnect();
    };
    client.on('error', dropped);
    client.on('end', dropped);
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
      admit();
      const client = await pool.connect().catch((err: unknown) => {
        throw namedDbError(err);
      });
      // The pool takes its error listener off a checked-out client: without one, a connection lost between two
      // statements (database restart) would crash the process. The next statement rejects; this keeps the event.
      let broken: Error | undefined;
      const onError = (err: Error) => {
        broken = err;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        // One connection runs one statement at a time: callers may issue several at once (Promise.all), so queue them
        // here rather than inside pg, which deprecates overlapping queries on a client.
        let last: Promise<unknown> = Promise.resolve();
        const serial = <T>(run: () => Promise<T>): Promise<T> => {
          const next = last.then(run, run);
          last = next.catch(() => {});
          return next;
        };
        const finals: { sql: string; onRows: (rows: unknown[]) => void }[] = [];
        const result = await fn({
          query: <T>(sql: string, params?: readonly unknown[]) =>
            serial(async () => (await client.query(statement(sql, params))).rows as T[]),
          exec: (sql: string) => serial(async () => void (await client.query(sql))),
          withCommit: (sql, onRows) => void finals.push({ sql, onRows }),
        });
        await last;
        if (finals.length === 0) {
          await client.query('COMMIT');
        } else {
          // One message, one round trip (simple query protocol): PostgreSQL runs the statements and the COMMIT back to
          // back, so a lock they take (the event log's) is held for their work and the commit only, never while this
          // process gets round to sending COMMIT. If one fails, the rest is skipped and the transaction rolled back
          // below.
          const text = `${finals.map((f) => f.sql).join(';\n')};\nCOMMIT`;
          const results = (await client.query(text)) as unknown as pg.QueryResult[];
          for (const [i, f] of finals.entries()) f.onRows(results[i]!.rows);
        }
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw namedDbError(err);
      } finally {
        client.off('error', onError);
        // A broken connection is discarded, not returned to the pool.
        client.release(broken);
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
        // Database unreachable now: polling covers us until the listener reconnects.
        scheduleReconnect();
      }
      return async () => {
        set.delete(onNotify);
      };
    },
    stats: () => ({
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
      queueLimit,
      shed: admission.shed,
      expectedWaitMs: admission.expectedWaitMs(load()),
      maxWaitMs,
      saturated: admission.saturated(load()),
    }),
    async close() {
      closed = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      const l = listener;
      listener = null;
      await l?.end().catch(() => {});
      await pool.end();
    },
  };
}
