import { SlotcastError } from '@slotcast/protocol';
import pRetry from 'p-retry';
import { type Db, PG, pgErrorCode, type Queryable } from '../store/db.js';
import { appendEventsAtCommit, type NewEvent } from '../store/event-log.js';
import { claimKey, storeResponse } from '../store/idempotency.js';

export interface Idempotency {
  userId: string;
  key: string;
  method: string;
  path: string;
  /** Hash of the method, path and body: the same key with another request is refused. */
  requestHash: string;
}

export interface MutationResult<T> {
  statusCode: number;
  body: T;
  /** True when this is the stored answer to an earlier request with the same key. */
  replayed: boolean;
}

/** What a change returns: the answer, and the events it appends (runMutation appends them last). */
export interface ChangeOutcome<T> {
  statusCode: number;
  body: T;
  events: NewEvent[];
}

/**
 * A deadlock (40P01) or serialization failure (40001) means PostgreSQL rolled the whole transaction back: nothing was
 * written, so running it again is safe. Two writers whose exclusion-constraint checks wait on each other (an insert
 * and a confirm of an overlapping booking) can deadlock; the retry then meets the winner's committed row and answers
 * 409 like any lost race. Bounded, with jitter so that the two do not meet again.
 */
const RETRIES = 4;
const isTransient = (err: unknown) => {
  const code = pgErrorCode(err);
  return code === PG.DEADLOCK || code === PG.SERIALIZATION_FAILURE;
};

/**
 * Runs a change in one transaction, claiming its idempotency key first so that the key, the change and its events
 * commit or vanish together. A failed change stores nothing, so a retry runs again.
 *
 * Order inside the transaction: claim key → change → store the answer → append events. The append takes the event
 * log's global lock (held until commit), so it goes last, sent with the COMMIT: the lock then covers one statement and
 * the commit, with no round trip to this process in between.
 */
export async function runMutation<T>(
  db: Db,
  idem: Idempotency | null,
  change: (tx: Queryable) => Promise<ChangeOutcome<T>>,
  afterCommit?: () => void,
): Promise<MutationResult<T>> {
  const attempt = () =>
    db.transaction(async (tx): Promise<MutationResult<T>> => {
      if (idem) {
        const prior = await claimKey(tx, idem.userId, idem.key, idem.method, idem.path, idem.requestHash);
        if (prior) {
          if (prior.requestHash !== idem.requestHash) {
            throw new SlotcastError(
              'IDEMPOTENCY_KEY_REUSED',
              `Idempotency-Key was first used for ${prior.method} ${prior.path} with another body`,
            );
          }
          return { statusCode: prior.statusCode, body: prior.body as T, replayed: true };
        }
      }
      const out = await change(tx);
      if (idem) await storeResponse(tx, idem.userId, idem.key, out.statusCode, out.body);
      await appendEventsAtCommit(tx, out.events);
      return { statusCode: out.statusCode, body: out.body, replayed: false };
    });
  const result = await pRetry(attempt, {
    retries: RETRIES,
    minTimeout: 2,
    maxTimeout: 50,
    factor: 3,
    randomize: true,
    // Everything else is an answer (409, 404, ...) or a real failure: never retried.
    shouldRetry: ({ error }) => isTransient(error),
  });
  if (!result.replayed) afterCommit?.();
  return result;
}
