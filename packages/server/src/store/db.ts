import { DETAILS, SlotcastError } from '@slotcast/protocol';
// StoredEvent has its own module so that db.ts and event-log.ts do not import each other.
import type { StoredEvent } from './stored-event.js';

/** The one interface the rest of the server uses to reach the database; PGlite and PostgreSQL implement it. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Set by instrumentation on a transaction (observability/instrumented-db.ts); appendEvents reports to it. */
  eventHooks?: EventAppendHooks;
  /**
   * Inside a PostgreSQL transaction only: runs `sql` (no parameters) after every other statement of the transaction,
   * sent in one message with its COMMIT, so nothing waits on this process between the two; `onRows` gets its rows once
   * the commit succeeded. Several run in the order given. Absent elsewhere (PGlite has no round trip to save).
   */
  withCommit?(sql: string, onRows: (rows: unknown[]) => void): void;
}

export interface EventAppendHooks {
  /** Before the insert; returns the trace context (W3C traceparent) to keep in each event's `_meta`. */
  appending(count: number): string | undefined;
  /** The inserted events: before commit, or right after it when the append was sent with the COMMIT. */
  appended(events: StoredEvent[]): void;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction; commits if it resolves, rolls back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Calls `onNotify` for every NOTIFY on `channel`; resolves to an unsubscribe function. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  /** Pool use, for metrics and readiness. */
  stats(): PoolStats;
  close(): Promise<void>;
}

export interface PoolStats {
  total: number;
  idle: number;
  /** Callers queued for a connection. */
  waiting: number;
  /** At most this many may queue; more are shed with SERVICE_UNAVAILABLE and Retry-After. */
  queueLimit: number;
  /** Callers shed since start (expected to wait too long, or the queue was full). */
  shed: number;
  /** How long a caller arriving now should expect to wait for a connection. */
  expectedWaitMs: number;
  /** Callers expected to wait longer than this are shed. */
  maxWaitMs: number;
  /** Whether the next caller would be shed. */
  saturated: boolean;
}

/** PostgreSQL error codes we act on. */
export const PG = {
  EXCLUSION_VIOLATION: '23P01',
  UNIQUE_VIOLATION: '23505',
  FOREIGN_KEY_VIOLATION: '23503',
  SERIALIZATION_FAILURE: '40001',
  DEADLOCK: '40P01',
} as const;

export const pgErrorCode = (err: unknown): string | undefined =>
  typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;

export const pgConstraint = (err: unknown): string | undefined =>
  typeof err === 'object' && err !== null && 'constraint' in err && typeof err.constraint === 'string'
    ? err.constraint
    : undefined;

/** Connection-level failures (database down or unreachable), as opposed to errors in a statement. */
export function isConnectionError(err: unknown): boolean {
  const code = pgErrorCode(err);
  if (code && (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03')) return true;
  const message = err instanceof Error ? err.message : '';
  return /ECONNREFUSED|ECONNRESET|Connection terminated|connection timeout|timeout exceeded when trying to connect/i.test(
    message,
  );
}

/** The readiness check's question to the database: not saturated, and one round trip answers. */
export async function ping(db: Db): Promise<void> {
  // While the node sheds requests (a newcomer would wait too long for a connection), send them to another node.
  const pool = db.stats();
  if (pool.saturated) {
    throw new Error(
      `saturated: ${pool.waiting} waiting, expected wait ${Math.round(pool.expectedWaitMs)} ms (limit ${pool.maxWaitMs} ms), requests shed`,
    );
  }
  await answers(db);
}

/** One round trip: whether the database answers at all. */
export async function answers(db: Queryable): Promise<void> {
  await db.query('SELECT 1');
}

/** The named error for a database that cannot be reached (503 SERVICE_UNAVAILABLE); other errors pass unchanged. */
export function namedDbError(err: unknown): unknown {
  return isConnectionError(err) ? new SlotcastError('SERVICE_UNAVAILABLE', DETAILS.databaseUnreachable()) : err;
}
