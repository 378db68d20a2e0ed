import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { connect, listen } from '../support/sockets.js';
import { buildWorld, login } from '../support/world.js';

const metricValue = async (m: { get(): Promise<{ values: { value: number }[] }> }) =>
  (await m.get()).values.reduce((n, v) => n + v.value, 0);

// The session check is held with a table lock from a second connection, which only PostgreSQL has.
describe.skipIf(!DB_KINDS.includes('postgres'))('the handshake queue on PostgreSQL', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer('postgres', { SOCKET_HANDSHAKE_CONCURRENCY: '1' });
    await buildWorld(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('skips a queued handshake whose client left before its turn, and authenticates the one ahead of it', async () => {
    const { metrics, gateway } = server.slotcast;
    // Fresh sessions: neither has been checked, so each handshake asks the database.
    const [ahead, leaving] = await Promise.all([login(server, 'bob@test.test'), login(server, 'bob@test.test')]);
    const failuresBefore = await metricValue(metrics.socketAuthFailures);
    const skippedBefore = await metricValue(metrics.socketHandshakesSkipped);

    const locker = new pg.Client({ connectionString: server.testDb.url! });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE');
      // The one turn goes to `ahead`, whose session check now waits on the lock.
      const first = listen(server, { token: ahead.token });
      await expect
        .poll(async () => {
          const { rows } = await locker.query<{ n: string }>(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
          );
          return Number(rows[0]!.n);
        })
        .toBe(1);
      const second = connect(server, { token: leaving.token });
      await expect.poll(() => metricValue(metrics.socketHandshakesWaiting)).toBe(1);
      // Its client gives up (a connect timeout) while it waits; the server sees the connection close.
      second.disconnect();
      await expect.poll(() => gateway.io.engine.clientsCount).toBe(1);

      await locker.query('COMMIT');
      const live = await first;
      expect(live.socket.connected).toBe(true);
      await expect.poll(() => metricValue(metrics.socketHandshakesSkipped)).toBe(skippedBefore + 1);
      // Skipped, not refused by authentication.
      expect(await metricValue(metrics.socketAuthFailures)).toBe(failuresBefore);
      expect(await metricValue(metrics.socketHandshakesWaiting)).toBe(0);
      live.close();
    } finally {
      await locker.query('ROLLBACK').catch(() => {});
      await locker.end();
    }
  });
});
