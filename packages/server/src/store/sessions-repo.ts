import type { Queryable } from './db.js';

export async function createSession(db: Queryable, userId: string): Promise<string> {
  const [row] = await db.query<{ id: string }>('INSERT INTO sessions (user_id) VALUES ($1) RETURNING id', [userId]);
  return row!.id;
}

export async function insertRefreshToken(db: Queryable, sessionId: string, tokenHash: string, expiresAt: Date) {
  await db.query('INSERT INTO refresh_tokens (token_hash, session_id, expires_at) VALUES ($1, $2, $3)', [
    tokenHash,
    sessionId,
    expiresAt,
  ]);
}

export interface RefreshTokenRow {
  session_id: string;
  user_id: string;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

/** Locks the token row so two concurrent refreshes with one token cannot both rotate it. */
export async function lockRefreshToken(db: Queryable, tokenHash: string): Promise<RefreshTokenRow | null> {
  const [row] = await db.query<RefreshTokenRow>(
    `SELECT t.session_id, s.user_id, t.expires_at, t.used_at, s.revoked_at
       FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
      WHERE t.token_hash = $1 FOR UPDATE OF t`,
    [tokenHash],
  );
  return row ?? null;
}

export async function markRefreshTokenUsed(db: Queryable, tokenHash: string) {
  await db.query('UPDATE refresh_tokens SET used_at = now() WHERE token_hash = $1', [tokenHash]);
}

export async function revokeSession(db: Queryable, sessionId: string, reason: string) {
  await db.query('UPDATE sessions SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL', [
    sessionId,
    reason,
  ]);
}

/** Which of `sessionIds` are active (not revoked), in one statement. */
export async function activeSessionIds(db: Queryable, sessionIds: readonly string[]): Promise<Set<string>> {
  const rows = await db.query<{ id: string }>(
    'SELECT id FROM sessions WHERE id = ANY($1::uuid[]) AND revoked_at IS NULL',
    [[...sessionIds]],
  );
  return new Set(rows.map((r) => r.id));
}

/** The session a refresh token belongs to, used or not; null for an unknown token. */
export async function sessionOfRefreshToken(db: Queryable, tokenHash: string): Promise<string | null> {
  const [row] = await db.query<{ session_id: string }>('SELECT session_id FROM refresh_tokens WHERE token_hash = $1', [
    tokenHash,
  ]);
  return row?.session_id ?? null;
}
