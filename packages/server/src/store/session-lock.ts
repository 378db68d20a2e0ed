import type pg from 'pg';

/**
 * Session advisory locks on a connection of their own (relay leadership): held as long as that session lives, so a
 * node that dies or loses the database frees the lock with it.
 */
export async function trySessionLock(client: pg.ClientBase, key: number): Promise<boolean> {
  const [row] = (await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [key])).rows;
  return row?.ok === true;
}

/** One round trip on that session: throws when it silently died. */
export async function sessionAlive(client: pg.ClientBase): Promise<void> {
  await client.query('SELECT 1');
}
