import type { Db } from '../../../src/store/db.js';
import { migrate } from '../../../src/store/migrate.js';
import { openPostgres } from '../../../src/store/postgres.js';
import type { TestServer } from '../../support/server.js';
import { killAllStarted, startCluster } from './cluster.js';
import { freePort, PrivatePostgres, PrivateRedis, scratchDir } from './services.js';

/** PostgreSQL and Redis of the suite's own and `n` nodes on them behind HAProxy (no broker: the embedded bus). */
export async function startStack(n: number, env: Record<string, string>) {
  const pg = new PrivatePostgres(await freePort());
  const redis = new PrivateRedis(await freePort());
  await pg.drop();
  await Promise.all([pg.create(), redis.start()]);
  const admin = await openPostgres(pg.url());
  await admin.query('CREATE DATABASE slotcast');
  await admin.close();
  const db: Db = await openPostgres(pg.url('slotcast'), { poolSize: 4 });
  await migrate(db);
  const cluster = await startCluster(
    n,
    { DATABASE_URL: pg.url('slotcast'), REDIS_URL: redis.url, DATABASE_POOL_SIZE: '8', ...env },
    scratchDir('cluster'),
  );
  return {
    db,
    redis,
    cluster,
    /** A node (or the load balancer) as the test helpers take a server. */
    as: (url: string) => ({ slotcast: { db }, url }) as unknown as TestServer,
    async stop() {
      await db.close().catch(() => {});
      await cluster.stop();
      await killAllStarted();
      await Promise.all([redis.stop(), pg.drop()]);
    },
  };
}
