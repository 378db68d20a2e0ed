import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Db } from '../../packages/server/src/store/db.js';
import { migrate } from '../../packages/server/src/store/migrate.js';
import { openPostgres } from '../../packages/server/src/store/postgres.js';
import { createScratchDatabase, redactUrl, type ScratchDatabase } from '../lib/scratch-database.js';
import { Child } from '../realtime/child-rpc.js';
import type { LoadOptions } from './options.js';
import type { SpawnedInfo } from './server-entry.js';
import { ServerSampler } from './server-sampler.js';

const SERVER_MODULE = new URL('./server-entry.ts', import.meta.url);
/** The loopback ranges the load test may talk to. */
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

export interface SpawnedServer {
  child: Child;
  url: string;
  pid: number;
}

/** The database the accounts go into (and the ledger reads), and how to reach the servers. */
export interface Target {
  mode: 'spawn' | 'external';
  db: Db;
  dbUrl: string;
  jwtSecret: string;
  close(): Promise<void>;
}

/**
 * Spawn mode: a scratch database beside `--database-url` (dropped by close). External mode: the target's own database,
 * where the accounts are added under a run-specific name, and its JWT secret.
 */
export async function openTarget(o: LoadOptions, log: (line: string) => void): Promise<Target> {
  for (const u of o.urls) {
    if (!LOOPBACK.test(new URL(u).hostname)) throw new Error(`only loopback targets are allowed here: ${u}`);
  }
  let scratch: ScratchDatabase | null = null;
  let dbUrl = o.databaseUrl;
  if (o.spawn) {
    scratch = await createScratchDatabase(o.databaseUrl, 'slotcast_load');
    dbUrl = scratch.url;
    log(`scratch database ${scratch.name} on ${redactUrl(o.databaseUrl)}`);
  }
  const db = await openPostgres(dbUrl, { poolSize: 8 });
  try {
    // A spawned server migrates too; doing it first lets seeding start before any server is up.
    await migrate(db);
  } catch (err) {
    await db.close();
    await scratch?.drop();
    throw err;
  }
  return {
    mode: o.spawn ? 'spawn' : 'external',
    db,
    dbUrl,
    jwtSecret: o.jwtSecret ?? randomBytes(32).toString('base64url'),
    async close() {
      await db.close().catch(() => {});
      await scratch?.drop();
    },
  };
}

/**
 * The environment of a spawned Slotcast node. All sockets come from a handful of loopback addresses, so the
 * per-address handshake budget (meant for one client's reconnect storm) is lifted; so are the per-address HTTP
 * budgets, except in the flood scenario, which is there to hit them. `--server-env` overrides any of it.
 */
export function serverEnv(o: LoadOptions, t: Target, index: number): Record<string, string> {
  const relaxed: Record<string, string> =
    o.scenario === 'flood'
      ? {}
      : {
          RATE_LIMIT_HTTP_AUTH: '1000000/60',
          RATE_LIMIT_HTTP_MUTATIONS: '1000000/60',
          RATE_LIMIT_HTTP_READS: '1000000/60',
        };
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(o.port ? o.port + index : 0),
    DATABASE_URL: t.dbUrl,
    JWT_SECRET: t.jwtSecret,
    DATA_DIR: os.tmpdir(),
    DEMO_DATA: 'false',
    LOG_LEVEL: o.serverLogLevel,
    NODE_ID: `load-${index + 1}`,
    RATE_LIMIT_SOCKET_HANDSHAKES: '1000000/60',
    ...relaxed,
    ...o.serverEnv,
  };
}

/** Starts `count` servers of `kind`, one process each; on any failure the ones started are stopped. */
export async function spawnServers(
  kind: 'slotcast' | 'bare',
  count: number,
  env: (index: number) => Record<string, string>,
): Promise<SpawnedServer[]> {
  const started: SpawnedServer[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const e = env(i);
      // The server reads only this (server-entry.ts), not the load test's own environment.
      const { child, info } = await Child.start<SpawnedInfo>(`${kind} server ${i + 1}`, SERVER_MODULE, [kind], {
        LOADTEST_SERVER_ENV: JSON.stringify(e),
        DATABASE_URL: e.DATABASE_URL!,
      });
      started.push({ child, url: info.url, pid: info.pid });
    }
    return started;
  } catch (err) {
    await stopServers(started);
    throw err;
  }
}

export async function stopServers(servers: readonly SpawnedServer[]): Promise<void> {
  await Promise.all(
    servers.map(async (s) => {
      await s.child.call('close', null, 30_000).catch(() => {});
      await s.child.kill();
    }),
  );
}

export function samplersFor(urls: readonly string[], spawned: readonly SpawnedServer[]): ServerSampler[] {
  const token = process.env.METRICS_TOKEN;
  if (spawned.length) return spawned.map((s) => new ServerSampler(s.url, s.pid, token));
  return urls.map((u) => new ServerSampler(u, null, token));
}
