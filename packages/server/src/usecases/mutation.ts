import { SlotcastError } from '@slotcast/protocol';
import type { Db, Queryable } from '../store/db.js';
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

/**
 * Runs a change in one transaction, claiming its idempotency key first so that the key, the change and its events
 * commit or vanish together. A failed change stores nothing, so a retry runs again.
 */
export async function runMutation<T>(
  db: Db,
  idem: Idempotency | null,
  change: (tx: Queryable) => Promise<{ statusCode: number; body: T }>,
  afterCommit?: () => void,
): Promise<MutationResult<T>> {
  const result = await db.transaction(async (tx) => {
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
    return { ...out, replayed: false };
  });
  if (!result.replayed) afterCommit?.();
  return result;
}
