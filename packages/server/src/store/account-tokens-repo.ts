import type { Queryable } from './db.js';

export type AccountTokenPurpose = 'verify_email' | 'reset_password';

export async function insertAccountToken(
  db: Queryable,
  t: { tokenHash: string; userId: string; purpose: AccountTokenPurpose; expiresAt: Date },
): Promise<void> {
  await db.query('INSERT INTO account_tokens (token_hash, user_id, purpose, expires_at) VALUES ($1, $2, $3, $4)', [
    t.tokenHash,
    t.userId,
    t.purpose,
    t.expiresAt,
  ]);
}

/**
 * Marks a token used and returns its user, when it exists, has this purpose, is unused and unexpired; else null.
 * One statement, so two concurrent uses of the same link cannot both succeed.
 */
export async function consumeAccountToken(
  db: Queryable,
  tokenHash: string,
  purpose: AccountTokenPurpose,
  now: Date,
): Promise<string | null> {
  const [row] = await db.query<{ user_id: string }>(
    `UPDATE account_tokens SET used_at = $3
      WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3
      RETURNING user_id`,
    [tokenHash, purpose, now],
  );
  return row?.user_id ?? null;
}

/** Earlier links of the same purpose stop working when a new one is sent or one is used. */
export async function retireAccountTokens(db: Queryable, userId: string, purpose: AccountTokenPurpose, now: Date) {
  await db.query('UPDATE account_tokens SET used_at = $3 WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL', [
    userId,
    purpose,
    now,
  ]);
}

export async function isEmailVerified(db: Queryable, userId: string): Promise<boolean> {
  const [row] = await db.query<{ ok: boolean }>('SELECT email_verified_at IS NOT NULL AS ok FROM users WHERE id = $1', [
    userId,
  ]);
  return row?.ok === true;
}

export async function markEmailVerified(db: Queryable, userId: string, now: Date): Promise<void> {
  await db.query('UPDATE users SET email_verified_at = coalesce(email_verified_at, $2) WHERE id = $1', [userId, now]);
}

export async function markEmailUnverified(db: Queryable, userId: string): Promise<void> {
  await db.query('UPDATE users SET email_verified_at = NULL WHERE id = $1', [userId]);
}

export async function setPasswordHash(db: Queryable, userId: string, passwordHash: string): Promise<void> {
  await db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [userId, passwordHash]);
}

/** Revokes every active session of the user; returns their ids (to close their sockets). */
export async function revokeUserSessions(db: Queryable, userId: string, reason: string): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `UPDATE sessions SET revoked_at = now(), revoked_reason = $2
      WHERE user_id = $1 AND revoked_at IS NULL RETURNING id`,
    [userId, reason],
  );
  return rows.map((r) => r.id);
}
