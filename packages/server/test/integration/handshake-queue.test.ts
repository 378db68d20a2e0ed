import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { connect, listen } from '../support/sockets.js';
import { buildWorld, login } from '../support/world.js';

const metricValue = async (m: { get(): Promise<{ values: { value: number }[] }> }) =>
  (await m.get()).values.reduce((n, v) => n + v.value, 0);

/** Queries of this database waiting for a lock: the held session check. */
async function lockWaits(locker: pg.Client): Promise<number> {
  const { rows } = await locker.query<{ n: string }>(
    "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
  );
  return Number(rows[0]!.n);
}

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
      await expect.poll(() => lockWaits(locker)).toBe(1);
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

describe.skipIf(!DB_KINDS.includes('postgres'))('early refusal of handshakes on PostgreSQL', () => {
  let server: TestServer;

  beforeAll(async () => {
    // One authentication at a time and at most 100 ms of expected wait: at the assumed 1,000/s, 101 may queue (0–100
    // ahead of them) behind the one in flight.
    server = await startTestServer('postgres', {
      SOCKET_HANDSHAKE_CONCURRENCY: '1',
      SOCKET_HANDSHAKE_MAX_WAIT_MS: '100',
    });
    await buildWorld(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('refuses handshakes past the expected wait at once with RATE_LIMITED and a time to come back, and serves the queue', async () => {
    const session = await login(server, 'bob@test.test');
    const locker = new pg.Client({ connectionString: server.testDb.url! });
    await locker.connect();
    const sockets: ReturnType<typeof connect>[] = [];
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE');
      const outcomes: Promise<{ ok: true } | { ok: false; code?: string; retryAfterMs?: number }>[] = [];
      for (let i = 0; i < 110; i++) {
        const socket = connect(server, { token: session.token });
        sockets.push(socket);
        outcomes.push(
          new Promise((resolve) => {
            socket.once('connect', () => resolve({ ok: true }));
            socket.once('connect_error', (err) => {
              const data = (err as { data?: { code?: string; retryAfterMs?: number } }).data;
              resolve({ ok: false, code: data?.code, retryAfterMs: data?.retryAfterMs });
            });
          }),
        );
        // In order: each handshake is taken (the first), queued or refused before the next is opened.
        await expect
          .poll(async () => {
            const { metrics } = server.slotcast;
            const refusals = (await metrics.socketAuthFailures.get()).values.find(
              (v) => v.labels.code === 'RATE_LIMITED',
            );
            return 1 + (await metricValue(metrics.socketHandshakesWaiting)) + (refusals?.value ?? 0);
          })
          .toBe(i + 1);
        if (i === 0) await expect.poll(() => lockWaits(locker)).toBe(1);
      }
      // The refusals came while the lock still held every authentication: at once, not after a wait.
      const refused: { code?: string; retryAfterMs?: number }[] = [];
      await expect
        .poll(async () => {
          const settled = await Promise.all(outcomes.map((o) => Promise.race([o, Promise.resolve(null)])));
          refused.splice(0, refused.length, ...settled.filter((o) => o !== null && !o.ok));
          return refused.length;
        })
        .toBe(8);
      expect(refused.every((r) => r.code === 'RATE_LIMITED')).toBe(true);
      // Told to come back after the queue ahead of them has drained (> 100 ms); the spacing of their turns is the unit
      // test's (handshake-admission.test.ts), which can hold the clock still.
      expect(refused.every((r) => r.retryAfterMs! > 100)).toBe(true);

      await locker.query('COMMIT');
      const all = await Promise.all(outcomes);
      expect(all.filter((o) => o.ok)).toHaveLength(102);
    } finally {
      for (const s of sockets) s.disconnect();
      await locker.query('ROLLBACK').catch(() => {});
      await locker.end();
    }
  });
});
