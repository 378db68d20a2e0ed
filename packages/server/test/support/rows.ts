import type { TestServer } from './server.js';

/** Tables a request writes to when it changes something. */
export const WRITE_TABLES = ['bookings', 'events', 'idempotency_keys', 'users', 'sessions', 'refresh_tokens'] as const;
export type WriteTable = (typeof WRITE_TABLES)[number];

export async function countRows(server: TestServer, table: WriteTable, where = 'true', params: unknown[] = []) {
  const [row] = await server.slotcast.db.query<{ n: number }>(
    `SELECT count(*)::int8 AS n FROM ${table} WHERE ${where}`,
    params,
  );
  return Number(row!.n);
}

/**
 * Row counts of every table a request could write to, plus the sum of booking versions and the revoked sessions, so a
 * refused request that inserted, changed or revoked anything shows up as a difference.
 */
export async function writeState(server: TestServer): Promise<Record<string, number>> {
  // Events count booking events only: workers append other events (notifications) later, from earlier requests.
  const entries = await Promise.all(
    WRITE_TABLES.map(
      async (t) => [t, await countRows(server, t, t === 'events' ? "type LIKE 'booking.%'" : 'true')] as const,
    ),
  );
  const [extra] = await server.slotcast.db.query<{ versions: number; revoked: number }>(
    `SELECT (SELECT coalesce(sum(version), 0)::int8 FROM bookings) AS versions,
            (SELECT count(*)::int8 FROM sessions WHERE revoked_at IS NOT NULL) AS revoked`,
  );
  return {
    ...Object.fromEntries(entries),
    bookingVersions: Number(extra!.versions),
    revokedSessions: Number(extra!.revoked),
  };
}
