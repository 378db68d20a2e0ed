import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import { backoffSchedule } from '../bus/backoff.js';
import { distinctTypes } from '../bus/log-cursor-consumers.js';
import type { NodeBus } from '../bus/node-bus.js';
import type { Config } from '../config.js';
import type { Metrics } from '../observability/metrics.js';
import type { StoredEvent } from '../store/stored-event.js';
import { superviseThread } from './thread-supervisor.js';

/** What the main thread sends the workers thread. */
export type ToWorkersThread = { type: 'wake'; types: string[] } | { type: 'metrics'; id: number } | { type: 'stop' };

/** What the workers thread sends back. */
export type FromWorkersThread =
  | { type: 'ready' }
  | { type: 'poke' }
  | { type: 'committed'; events: StoredEvent[] }
  | { type: 'log'; line: string }
  | { type: 'metrics'; id: number; metrics: MetricObjectWithValues<MetricValue<string>>[] }
  | { type: 'stopped' };

export interface WorkersThreadData {
  /** The module the thread runs (workers-thread-main), as a file URL. */
  entry: string;
  config: Config;
  pushCa?: string;
}

export interface WorkersThread {
  /** The node's bus delivered events of these types (without a broker, the thread's consumers wait for this). */
  wake(types: readonly string[]): void;
  /** The thread's metrics for this node's /metrics; null when it does not answer within a scrape's patience. */
  metrics(): Promise<MetricObjectWithValues<MetricValue<string>>[] | null>;
  stop(): Promise<void>;
}

/**
 * Cores from which WORKERS_THREAD=auto puts the workers in a thread: two busy threads of the node, PostgreSQL and
 * whatever else runs beside them need more than two (docs/performance.md, "Workers in a thread of their own").
 */
export const WORKERS_THREAD_MIN_CORES = 4;

/**
 * Whether a node's workers run in a thread of their own: with PostgreSQL and enough cores (WORKERS_THREAD). The
 * embedded database lives in the main thread only, and parts a caller passes in (a database, a clock, a mailer, a
 * mail composer) cannot cross into another thread, so with any of those the workers stay on the main thread.
 */
export function workersInThread(
  config: Pick<Config, 'WORKERS_ENABLED' | 'WORKERS_THREAD' | 'DATABASE_URL'>,
  passedIn: { db?: unknown; now?: unknown; mailer?: unknown; composeMail?: unknown },
  cores = availableParallelism(),
): boolean {
  const wanted = config.WORKERS_THREAD === 'auto' ? cores >= WORKERS_THREAD_MIN_CORES : config.WORKERS_THREAD;
  return (
    config.WORKERS_ENABLED &&
    wanted &&
    Boolean(config.DATABASE_URL) &&
    !passedIn.db &&
    !passedIn.now &&
    !passedIn.mailer &&
    !passedIn.composeMail
  );
}

/**
 * The node's workers in their thread, fed by the node's bus: without a broker the thread's consumers follow the log
 * and are woken by the types of what the node's tailer delivered; what the thread commits is handed to the bus at
 * once; its metrics join the node's.
 */
export async function runWorkersThread(deps: {
  config: Config;
  logger: Logger;
  bus: NodeBus;
  metrics: Metrics;
  pushCa?: string;
}): Promise<{ outbox: null; stop(): Promise<void> }> {
  const { bus, metrics } = deps;
  const thread = await startWorkersThread({
    config: deps.config,
    logger: deps.logger,
    pushCa: deps.pushCa,
    onPoke: () => bus.poke(),
    onCommitted: (events) => bus.offer?.(events),
    onRestart: () => metrics.workersThreadRestarts.inc(),
  });
  metrics.addRegistry(() => thread.metrics());
  const unsubscribe = bus.kind === 'embedded' ? bus.subscribe((batch) => thread.wake(distinctTypes(batch))) : null;
  return {
    outbox: null,
    async stop() {
      unsubscribe?.();
      await thread.stop();
    },
  };
}

/** Time a scrape waits for the thread's metrics, and a stop for its workers to finish what they hold. */
const METRICS_TIMEOUT_MS = 800;
const STOP_TIMEOUT_MS = 15_000;
/** A thread that dies is started again after 1 s, 2 s, ... up to a minute. */
const RESTART_DELAYS_MS = backoffSchedule(7, { baseMs: 1_000, capMs: 60_000 });

/**
 * A node's workers (durable consumers and the outbox sender, workers/node-workers.ts) in a worker thread of their own:
 * their own event loop, heap and garbage collector, so writing notifications, composing mail and encrypting pushes
 * never hold up the frames the main thread writes to sockets (docs/performance.md, "Workers in a thread"). They use
 * the database with a pool of their own (WORKERS_DATABASE_POOL_SIZE) and, in a cluster, RabbitMQ with a connection of
 * their own. The thread logs through this node's logger and its metrics join the node's /metrics. Resolves once the
 * workers run; rejects when they cannot start, as the node's start would fail with them on the main thread. A thread
 * that dies later is logged and started again; what it held is taken again by the durable mechanism (at least once,
 * effects once).
 */
export async function startWorkersThread(opts: {
  config: Config;
  logger: Logger;
  pushCa?: string;
  /** The workers committed events: the node's bus should look at the log now. */
  onPoke: () => void;
  /** Events a transaction of the workers appended, once committed (bus/commit-handoff.ts). */
  onCommitted: (events: readonly StoredEvent[]) => void;
  onRestart?: () => void;
}): Promise<WorkersThread> {
  const { logger } = opts;
  const here = import.meta.url;
  const data: WorkersThreadData = {
    entry: new URL(`./workers-thread-main${here.endsWith('.ts') ? '.ts' : '.js'}`, here).href,
    config: opts.config,
    pushCa: opts.pushCa,
  };
  let nextId = 0;
  const pendingMetrics = new Map<number, (m: MetricObjectWithValues<MetricValue<string>>[]) => void>();
  const thread = await superviseThread({
    name: 'workers thread',
    spawn: () =>
      new Worker(new URL('./workers-thread-entry.mjs', here), { workerData: data, name: 'slotcast-workers' }),
    logger,
    restartDelaysMs: RESTART_DELAYS_MS,
    onRestart: opts.onRestart,
    onMessage: (m) => {
      const msg = m as FromWorkersThread;
      switch (msg.type) {
        case 'poke':
          opts.onPoke();
          break;
        case 'committed':
          opts.onCommitted(msg.events);
          break;
        case 'log':
          relayLog(logger, msg.line);
          break;
        case 'metrics':
          pendingMetrics.get(msg.id)?.(msg.metrics);
          pendingMetrics.delete(msg.id);
          break;
      }
    },
  });
  let stopping = false;

  return {
    wake(types) {
      thread.post({ type: 'wake', types: [...types] } satisfies ToWorkersThread);
    },
    metrics() {
      if (stopping) return Promise.resolve(null);
      const id = ++nextId;
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          pendingMetrics.delete(id);
          resolve(null);
        }, METRICS_TIMEOUT_MS);
        pendingMetrics.set(id, (m) => {
          clearTimeout(timer);
          resolve(m);
        });
        thread.post({ type: 'metrics', id } satisfies ToWorkersThread);
      });
    },
    async stop() {
      stopping = true;
      await thread.stop(STOP_TIMEOUT_MS);
    },
  };
}

const LEVEL_NAMES: Record<number, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/** A line the thread's logger wrote (pino JSON), written again through this node's logger with its bindings. */
function relayLog(logger: Logger, line: string): void {
  try {
    const {
      level,
      msg,
      time: _time,
      pid: _pid,
      hostname: _host,
      ...fields
    } = JSON.parse(line) as {
      level: number;
      msg?: string;
    } & Record<string, unknown>;
    logger[LEVEL_NAMES[level] ?? 'info']({ ...fields, thread: 'workers' }, msg);
  } catch {
    logger.info({ thread: 'workers' }, line.trim());
  }
}
