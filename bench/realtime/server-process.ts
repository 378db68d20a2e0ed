/**
 * One server under test in its own process: `slotcast` (a full node: HTTP, gateway, bus, workers) or `bare` (see
 * bare-server.ts), on the database in DATABASE_URL, listening on 127.0.0.1. Answers the benchmark over IPC: memory
 * after GC, CPU spent between two marks, and (Slotcast) committing booking transitions at a fixed rate.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { constants, type EventLoopUtilization, PerformanceObserver, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeHeapSnapshot } from 'node:v8';
import pino from 'pino';
import { createSlotcast } from '../../packages/server/src/app.js';
import { loadConfig } from '../../packages/server/src/config.js';
import type { StoredEvent } from '../../packages/server/src/store/event-log.js';
import { openPostgres } from '../../packages/server/src/store/postgres.js';
import { summarize } from '../lib/latency.js';
import { startBareServer } from './bare-server.js';
import { serveRpc } from './child-rpc.js';
import type { Population } from './population.js';
import { TOKEN_TTL_SECONDS } from './population.js';
import { RoundProfile } from './round-profile.js';
import { type DriveOptions, driveTransitions, type GcPauses } from './transition-driver.js';

export interface MemorySample {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  sockets: number;
}

export interface CpuSpent {
  /** User + system CPU time of the server process. */
  cpuMs: number;
  wallMs: number;
  eventLoopUtilization: number;
}

const kind = process.argv[2];
const databaseUrl = process.env.DATABASE_URL;
const jwtSecret = process.env.JWT_SECRET;
if ((kind !== 'slotcast' && kind !== 'bare') || !databaseUrl || !jwtSecret) {
  throw new Error('usage: server-process.ts slotcast|bare, with DATABASE_URL and JWT_SECRET set');
}
const driveProfileDir = process.env.DRIVE_PROFILE_DIR;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

async function start() {
  if (kind === 'bare') {
    const db = await openPostgres(databaseUrl!);
    const bare = await startBareServer(db);
    return {
      url: bare.url,
      sockets: () => bare.io.engine.clientsCount,
      bookings: null,
      subscribe: null,
      close: async () => {
        await bare.close();
        await db.close();
      },
    };
  }
  const config = loadConfig({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: jwtSecret,
    ACCESS_TOKEN_TTL_SECONDS: String(TOKEN_TTL_SECONDS),
    DATA_DIR: os.tmpdir(),
    DEMO_DATA: 'false',
    LOG_LEVEL: 'silent',
    // --notifier local-main: the workers on the main thread.
    WORKERS_THREAD: process.env.WORKERS_THREAD,
    // Every socket here comes from 127.0.0.1, so the per-address handshake budget (meant for one client's reconnect
    // storm) would let in only its first 60; in production these sockets come from 10,000 addresses. Every other
    // limit, including sockets per user, stays at its default.
    RATE_LIMIT_SOCKET_HANDSHAKES: '1000000/60',
  });
  const slotcast = await createSlotcast(config, pino({ level: 'silent' }));
  const { url } = await slotcast.listen();
  return {
    url,
    sockets: () => slotcast.gateway.io.engine.clientsCount,
    bookings: slotcast.bookings,
    subscribe: (h: (batch: StoredEvent[]) => void) => slotcast.bus.subscribe(h),
    close: () => slotcast.close(),
  };
}

const gcPauses = (pauses: number[]): GcPauses => ({
  count: pauses.length,
  totalMs: pauses.reduce((a, b) => a + b, 0),
  maxMs: pauses.reduce((a, b) => Math.max(a, b), 0),
});

const server = await start();
let cpuMark: { wall: number; cpu: NodeJS.CpuUsage; elu: EventLoopUtilization } | null = null;
const roundProfile = new RoundProfile();

serveRpc(
  {
    /**
     * Memory once garbage is collected; several passes, so objects freed by finalizers go too. With `snapshot`, also
     * writes a V8 heap snapshot there (after the sample: writing one allocates).
     */
    async memory(params: { snapshot?: string } | null): Promise<MemorySample> {
      for (let i = 0; i < 4; i++) {
        gc!();
        await sleep(50);
      }
      const m = process.memoryUsage();
      if (params?.snapshot) writeHeapSnapshot(params.snapshot);
      return {
        rss: m.rss,
        heapUsed: m.heapUsed,
        external: m.external,
        arrayBuffers: m.arrayBuffers,
        sockets: server.sockets(),
      };
    },
    /** With `profile` (a file), the stretch up to cpuSince is also profiled into it. */
    async cpuMark(params: { profile?: string } | null) {
      if (params?.profile) await roundProfile.start();
      cpuMark = { wall: performance.now(), cpu: process.cpuUsage(), elu: performance.eventLoopUtilization() };
      return null;
    },
    async cpuSince(params: { profile?: string } | null): Promise<CpuSpent> {
      if (!cpuMark) throw new Error('cpuMark first');
      const cpu = process.cpuUsage(cpuMark.cpu);
      if (params?.profile) await roundProfile.stop(params.profile);
      return {
        cpuMs: (cpu.user + cpu.system) / 1000,
        wallMs: performance.now() - cpuMark.wall,
        eventLoopUtilization: performance.eventLoopUtilization(cpuMark.elu).utilization,
      };
    },
    async drive(params: { population: Population; options: DriveOptions }) {
      if (!server.bookings || !server.subscribe) throw new Error('the bare server commits nothing');
      // Subscribed after the gateway, so this runs right after it emitted each batch: splits the latency into the
      // server's part (commit → emitted) and the rest (network, client).
      const occurred: number[] = [];
      const emitted: number[] = [];
      const unsubscribe = server.subscribe((batch) => {
        const now = Date.now();
        for (const e of batch) {
          if (!e.envelope.type.startsWith('booking.')) continue;
          const at = Date.parse(e.envelope.occurredAt);
          occurred.push(at);
          emitted.push(now - at);
        }
      });
      const pauses: number[] = [];
      // Scavenges of the young generation apart from the rest (mark-compact, incremental marking steps, weak callbacks).
      const minor: number[] = [];
      const other: number[] = [];
      const gcObserver = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          pauses.push(entry.duration);
          const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
          (kind === constants.NODE_PERFORMANCE_GC_MINOR ? minor : other).push(entry.duration);
        }
      });
      gcObserver.observe({ entryTypes: ['gc'] });
      // A CPU profile of the drive alone (--profile): the process-wide one of --cpu-prof is dominated by connecting.
      const profiler = driveProfileDir ? new Session() : null;
      if (profiler) {
        profiler.connect();
        await profiler.post('Profiler.enable');
        await profiler.post('Profiler.start');
      }
      try {
        const result = await driveTransitions(server.bookings, params.population, params.options);
        if (profiler) {
          const { profile } = await profiler.post('Profiler.stop');
          const file = path.join(driveProfileDir!, `drive-${Date.now()}.cpuprofile`);
          await writeFile(file, JSON.stringify(profile));
          profiler.disconnect();
        }
        const measured = emitted.filter((_, i) => occurred[i]! >= result.measureFrom);
        return {
          ...result,
          emitted: summarize(measured, params.options.measureMs),
          gc: { ...gcPauses(pauses), minor: gcPauses(minor), major: gcPauses(other) },
        };
      } finally {
        unsubscribe();
        gcObserver.disconnect();
      }
    },
    async close() {
      await server.close();
      setImmediate(() => process.exit(0));
      return null;
    },
  },
  { url: server.url },
);

process.once('SIGTERM', () => {
  void server.close().finally(() => process.exit(0));
});
