import type { Queryable } from '../store/db.js';
import type { StoredEvent } from '../store/event-log.js';
import { backoffSchedule } from './backoff.js';

/**
 * A durable worker's handler: a batch of events (id order within the batch) that the worker must act on. A throw
 * means "not done": nothing of the batch counts as handled, and it is tried again after a back-off (a failing batch is
 * split into single events, so one bad event holds up only itself). After the last retry the event goes to the
 * dead-letter queue (`bus_dead_letters` without a broker).
 *
 * What the handler must guarantee: delivery is at least once, so the same event may come again (a crash before the
 * commit, a broker redelivery). Write database effects through `ctx.tx`: the consumer records its progress (the log
 * position, or the receipt of each event id) in that same transaction, so those effects happen exactly once per
 * (consumer, event id). Effects outside the database (a push, a mail) must be idempotent by themselves: key them by
 * `${consumer}:${event id}` on the other side, or accept a rare repeat. Keep `appendEvents` the last write of the
 * transaction (its lock is held until commit).
 */
export type DurableHandler = (events: StoredEvent[], ctx: DurableContext) => Promise<void>;

export interface DurableContext {
  /** The transaction in which the consumer's progress is recorded; commits after the handler resolves. */
  tx: Queryable;
  /** 1 the first time; n on the n-th try of this batch (or of the event it was split into). */
  attempt: number;
}

export interface DurableOptions {
  /** Routing patterns (event types, `#` for all, `booking.*`); default every event. */
  bindings?: string[];
  /** Most events per handler call. */
  batchSize?: number;
  /** Messages in flight per node (RabbitMQ); at least `batchSize`. */
  prefetch?: number;
  /** Waits before the second, third, ... try; after the last the event goes to the dead-letter queue. */
  retryDelaysMs?: number[];
  /**
   * Where a consumer seen for the first time begins: `latest` (default) skips what was committed before it existed,
   * as a new queue would; `beginning` also takes the whole retained log (without a broker its position starts at 0;
   * with one, the log up to its head is copied into the new queue once, amqp-backfill.ts).
   */
  startAt?: 'latest' | 'beginning';
}

export interface DurableSubscription {
  stop(): Promise<void>;
}

export const DEFAULT_BATCH_SIZE = 100;
/** 1 s, 2 s, 4 s, 8 s, 16 s, 32 s: about a minute for a dependency to come back before an event is dead-lettered. */
export const DEFAULT_RETRY_DELAYS_MS = backoffSchedule(6, { baseMs: 1_000, capMs: 60_000 });

/** Durable consumer names become queue names and offset rows: keep them simple and stable. */
export function checkConsumerName(name: string): void {
  if (!/^[a-z][a-z0-9-]{0,62}$/.test(name)) throw new Error(`consumer name "${name}" must match [a-z][a-z0-9-]*`);
}

/** Whether an AMQP topic pattern (`*` one word, `#` zero or more words) matches an event type. */
export function bindingMatches(pattern: string, type: string): boolean {
  const p = pattern.split('.');
  const t = type.split('.');
  const match = (i: number, j: number): boolean => {
    if (i === p.length) return j === t.length;
    if (p[i] === '#') return match(i + 1, j) || (j < t.length && match(i, j + 1));
    return j < t.length && (p[i] === '*' || p[i] === t[j]) && match(i + 1, j + 1);
  };
  return match(0, 0);
}

export const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 500);

/**
 * LIKE patterns that select at least the event types the bindings match (the literal words before a binding's first
 * wildcard, then `%`), so a consumer reads from the log only rows it may want; `bindingMatches` then decides exactly.
 * Null when some binding starts with a wildcard: every type may match.
 */
export function bindingTypePatterns(bindings: readonly string[]): string[] | null {
  const patterns: string[] = [];
  for (const b of bindings) {
    const words = b.split('.');
    const wild = words.findIndex((w) => w === '*' || w === '#');
    if (wild === 0) return null;
    const literal = (wild < 0 ? words : words.slice(0, wild)).join('.').replace(/[\\%_]/g, (c) => `\\${c}`);
    // `a.*` needs a word after `a.`; `a.#` also matches `a` itself.
    patterns.push(wild < 0 ? literal : words[wild] === '*' ? `${literal}.%` : `${literal}%`);
  }
  return patterns;
}
