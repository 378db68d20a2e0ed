import { writeFileSync } from 'node:fs';
import path from 'node:path';
import webpush from 'web-push';
import type { Db } from '../../../src/store/db.js';
import { migrate } from '../../../src/store/migrate.js';
import { openPostgres } from '../../../src/store/postgres.js';
import { loopbackCertificate } from '../../support/push/tls.js';
import { WebPushService } from '../../support/push/web-push-service.js';
import type { TestServer } from '../../support/server.js';
import { buildWorld, type World } from '../../support/world.js';
import { killAllStarted, startCluster } from './cluster.js';
import { freePort, PrivatePostgres, scratchDir } from './services.js';

/**
 * Two Slotcast nodes (their workers in a thread each) on a private PostgreSQL that push to a local Web Push service (which checks the VAPID JWT and
 * decrypts every payload), a world built through the load balancer, and a direct connection to the database.
 * `env` adds the nodes' settings for the test at hand.
 */
export async function startPushCluster(name: string, env: Record<string, string>, world: { autoConfirm?: boolean }) {
  const dir = scratchDir(name);
  const tls = await loopbackCertificate();
  const vapid = webpush.generateVAPIDKeys();
  const webPush = new WebPushService(tls, vapid.publicKey);
  await webPush.start();
  // The nodes are processes of their own: they trust the local push service's certificate through Node's CA list.
  const ca = path.join(dir, 'push-ca.pem');
  writeFileSync(ca, tls.cert);
  const pgServer = new PrivatePostgres(await freePort());
  await pgServer.drop();
  await pgServer.create();
  const admin = await openPostgres(pgServer.url());
  await admin.query('CREATE DATABASE slotcast');
  await admin.close();
  const db: Db = await openPostgres(pgServer.url('slotcast'), { poolSize: 4 });
  await migrate(db);
  const cluster = await startCluster(
    2,
    {
      DATABASE_URL: pgServer.url('slotcast'),
      DATABASE_POOL_SIZE: '8',
      NODE_EXTRA_CA_CERTS: ca,
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      VAPID_SUBJECT: 'mailto:ops@slotcast.test',
      PUSH_ENDPOINT_HOSTS: '127.0.0.1',
      // The workers in their thread, as on nodes with four cores or more (`auto`): pushes and reminders go out from
      // it, and a node killed mid-send takes its thread with it.
      WORKERS_THREAD: 'true',
      ...env,
    },
    dir,
  );
  /** The load balancer (or one node) as a test server for the world's helpers. */
  const as = (url: string) => ({ slotcast: { db }, url }) as unknown as TestServer;
  const w: World = await buildWorld(as(cluster.lb.url), world);
  return {
    cluster,
    db,
    w,
    webPush,
    as,
    async stop() {
      await cluster.stop();
      await killAllStarted();
      await db.close();
      await pgServer.stop();
      await webPush.close();
    },
  };
}
