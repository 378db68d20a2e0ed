/**
 * A server the load test spawns: `slotcast` (a full node configured from the environment, as main.ts runs it) or
 * `bare` (bench/realtime's bare Socket.IO server, the memory baseline). Tells the parent its URL and pid, and answers
 * `memory` (after garbage collection, for memory per socket) and `close` over IPC.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { createSlotcast } from '../../packages/server/src/app.js';
import { loadConfig } from '../../packages/server/src/config.js';
import { openPostgres } from '../../packages/server/src/store/postgres.js';
import { startBareServer } from '../realtime/bare-server.js';
import { serveRpc } from '../realtime/child-rpc.js';
import type { MemorySample } from '../realtime/server-process.js';

export interface SpawnedInfo {
  url: string;
  pid: number;
}

const kind = process.argv[2];
if (kind !== 'slotcast' && kind !== 'bare') throw new Error('usage: server-entry.ts slotcast|bare');
const gc = (globalThis as { gc?: () => void }).gc;

async function start() {
  if (kind === 'bare') {
    const db = await openPostgres(process.env.DATABASE_URL!);
    const bare = await startBareServer(db);
    return {
      url: bare.url,
      sockets: () => bare.io.engine.clientsCount,
      close: async () => {
        await bare.close();
        await db.close();
      },
    };
  }
  // Only what the load test chose (target.ts serverEnv), not whatever its own shell had (REDIS_URL, …).
  const config = loadConfig(JSON.parse(process.env.LOADTEST_SERVER_ENV ?? '{}') as Record<string, string>);
  const slotcast = await createSlotcast(config, pino({ level: config.LOG_LEVEL }).child({ node: config.nodeId }));
  const { url } = await slotcast.listen();
  return { url, sockets: () => slotcast.gateway.io.engine.clientsCount, close: () => slotcast.close() };
}

const server = await start();
let closing: Promise<void> | null = null;
const close = () => (closing ??= server.close());

serveRpc(
  {
    async memory(): Promise<MemorySample> {
      for (let i = 0; i < 4 && gc; i++) {
        gc();
        await sleep(50);
      }
      const m = process.memoryUsage();
      return {
        rss: m.rss,
        heapUsed: m.heapUsed,
        external: m.external,
        arrayBuffers: m.arrayBuffers,
        sockets: server.sockets(),
      };
    },
    async close() {
      await close();
      setImmediate(() => process.exit(0));
      return null;
    },
  },
  { url: server.url, pid: process.pid } satisfies SpawnedInfo,
);

process.once('SIGTERM', () => {
  void close().finally(() => process.exit(0));
});
