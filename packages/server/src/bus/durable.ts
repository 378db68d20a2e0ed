import type { Queryable } from '../store/db.js';
import type { StoredEvent } from '../store/event-log.js';

/** Called once per event, at least once; a throw means "try again later". */
export type DurableHandler = (event: StoredEvent, info: { attempt: number }) => Promise<void>;

export interface DurableOptions {
  /** Routing patterns (event types, `#` for all, `booking.*`); default every event. */
  bindings?: string[];
  /** Messages in flight per node. */
  prefetch?: number;
  /** Waits before the second, third, ... try; after the last the event goes to the dead-letter queue. */
  retryDelaysMs?: number[];
}

export interface DurableSubscription {
  stop(): Promise<void>;
}

export const DEFAULT_RETRY_DELAYS_MS = [1_000, 5_000, 30_000];

/** Durable consumer names become queue names: keep them simple and stable. */
export function checkConsumerName(name: string): void {
  if (!/^[a-z][a-z0-9-]{0,62}$/.test(name)) throw new Error(`consumer name "${name}" must match [a-z][a-z0-9-]*`);
}

/** Whether `consumer` already handled `eventId` (a redelivery). */
export async function hasReceipt(db: Queryable, consumer: string, eventId: number): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM bus_receipts WHERE consumer = $1 AND event_id = $2', [consumer, eventId]);
  return rows.length > 0;
}

export async function recordReceipt(db: Queryable, consumer: string, eventId: number): Promise<void> {
  await db.query('INSERT INTO bus_receipts (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
    consumer,
    eventId,
  ]);
}

export async function pruneReceipts(db: Queryable, olderThan: Date): Promise<void> {
  await db.query('DELETE FROM bus_receipts WHERE handled_at < $1', [olderThan]);
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
