/**
 * Inside the workers thread (workers-thread.ts): opens the database with the workers' own pool, builds the services
 * and starts the node's workers on a bus of their own (bus/worker-bus.ts), then answers the main thread.
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import pino from 'pino';
import { handOffCommitted } from '../bus/commit-handoff.js';
import { WorkerThreadBus } from '../bus/worker-bus.js';
import { jwtSecret, mailerFor, openDatabase } from '../node-resources.js';
import { instrumentDb } from '../observability/instrumented-db.js';
import { Metrics } from '../observability/metrics.js';
import { Tracing } from '../observability/tracing.js';
import { startNodeWorkers } from './node-workers.js';
import { createWorkerServices } from './worker-services.js';
import type { FromWorkersThread, ToWorkersThread, WorkersThreadData } from './workers-thread.js';

const port = parentPort;
if (!port) throw new Error('workers-thread-main runs in a worker thread (workers-thread.ts starts it)');
const { config, pushCa } = workerData as WorkersThreadData;
const send = (msg: FromWorkersThread) => port.postMessage(msg);
// On Linux a nice value is a thread's own (pid 0: this thread). WORKERS_THREAD_NICE > 0 lets the sockets' thread and
// the database go first when cores are short, at the price of the workers lagging (performance.md).
try {
  if (config.WORKERS_THREAD_NICE > 0) setPriority(0, config.WORKERS_THREAD_NICE);
} catch {
  // Not permitted or not supported here: the thread runs at the node's priority.
}

// Lines go to the main thread, which writes them through the node's logger (its destination, its bindings).
const logger = pino(
  { level: config.LOG_LEVEL, base: undefined },
  { write: (line: string) => send({ type: 'log', line }) },
);
// The process's own figures (CPU, memory, event-loop lag) are the main thread's to report.
const metrics = new Metrics({ nodeId: config.nodeId, defaultMetrics: false });
// No tracing SDK is registered in this thread: spans are no-ops here.
const tracing = new Tracing();
const rawDb = await openDatabase({ ...config, DATABASE_POOL_SIZE: config.WORKERS_DATABASE_POOL_SIZE });
// What the workers commit (notifications) goes to the node's bus at once, as the node's own commits do: its sockets
// get them without a log read, and its own next commits, which follow them in the log, need none either.
const db = handOffCommitted(instrumentDb(rawDb, metrics, tracing), (events) =>
  send({ type: 'committed', events: [...events] }),
);
const secret = await jwtSecret(config, logger);
const bus = new WorkerThreadBus({
  db,
  amqpUrl: config.AMQP_URL,
  connectionName: `slotcast ${config.nodeId} workers`,
  logger,
  metrics: metrics.bus,
  onCommitted: () => send({ type: 'poke' }),
});
const services = await createWorkerServices({ config, db, secret, logger, poke: () => bus.poke(), pushCa });
const mailer = mailerFor(config, logger);
const workers = await startNodeWorkers({ config, bus, db, logger, metrics, services, mailer });

let stopping = false;
port.on('message', (msg: ToWorkersThread) => {
  switch (msg.type) {
    case 'wake':
      bus.wake(msg.types);
      break;
    case 'metrics':
      void metrics.registry.getMetricsAsJSON().then(
        (m) => send({ type: 'metrics', id: msg.id, metrics: m }),
        (err) => logger.warn({ err }, 'reading the workers thread metrics failed'),
      );
      break;
    case 'stop':
      if (stopping) return;
      stopping = true;
      void (async () => {
        await workers.stop();
        await Promise.all(services.pushSetup.senders.map((s) => s.close?.()));
        mailer.close();
        await bus.stop();
        await db.close();
        metrics.close();
        send({ type: 'stopped' });
        port.close();
      })().catch((err) => {
        logger.error({ err }, 'stopping the workers thread failed');
        send({ type: 'stopped' });
      });
      break;
  }
});
send({ type: 'ready' });
