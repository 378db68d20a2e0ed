import type { Queryable } from './db.js';

export interface StoredResponse {
  statusCode: number;
  body: unknown;
  requestHash: string;
  method: string;
  path: string;
}

/**
 * Claims an idempotency key inside the caller's transaction. A concurrent request with the same key blocks on the
 * primary key until this transaction ends, then sees the stored response. Returns null when the key is new.
 */
export async function claimKey(
  tx: Queryable,
  userId: string,
  key: string,
  method: string,
  path: string,
  requestHash: string,
): Promise<StoredResponse | null> {
  const inserted = await tx.query(
    `INSERT INTO idempotency_keys (user_id, key, method, path, request_hash, status_code)
     VALUES ($1, $2, $3, $4, $5, 0) ON CONFLICT DO NOTHING RETURNING key`,
    [userId, key, method, path, requestHash],
  );
  if (inserted.length > 0) return null;
  const [row] = await tx.query<{
    status_code: number;
    response: unknown;
    request_hash: string;
    method: string;
    path: string;
  }>('SELECT status_code, response, request_hash, method, path FROM idempotency_keys WHERE user_id = $1 AND key = $2', [
    userId,
    key,
  ]);
  return {
    statusCode: row!.status_code,
    body: row!.response,
    requestHash: row!.request_hash,
    method: row!.method,
    path: row!.path,
  };
}

export async function storeResponse(tx: Queryable, userId: string, key: string, statusCode: number, body: unknown) {
  await tx.query('UPDATE idempotency_keys SET status_code = $3, response = $4 WHERE user_id = $1 AND key = $2', [
    userId,
    key,
    statusCode,
    JSON.stringify(body),
  ]);
}

export async function pruneKeys(db: Queryable, olderThan: Date): Promise<void> {
  await db.query('DELETE FROM idempotency_keys WHERE created_at < $1', [olderThan]);
}
