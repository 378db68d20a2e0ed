import { createSlotcast } from './app.js';
import { loadConfig } from './config.js';
import { DEMO_PASSWORD, seedDemoData } from './demo/seed.js';
import { createLogger } from './observability/logger.js';
import { startTracingSdk } from './observability/tracing-sdk.js';

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  const logger = (
    await createLogger({
      level: config.LOG_LEVEL,
      pretty: config.NODE_ENV === 'development' && process.stdout.isTTY,
      file: config.LOG_FILE
        ? {
            path: config.LOG_FILE,
            size: config.LOG_FILE_SIZE,
            frequency: config.LOG_FILE_FREQUENCY,
            keep: config.LOG_FILE_KEEP,
          }
        : undefined,
    })
  ).child({ node: config.nodeId });
  // Before the node is built: it decides once whether tracing is on (an SDK registered) or a no-op.
  const stopTracing = await startTracingSdk(config);
  const slotcast = await createSlotcast(config, logger);
  if (config.demoData) {
    const logins = await seedDemoData(slotcast.db, logger);
    // Demo credentials are printed in development only, and only when they were just created.
    if (logins && config.NODE_ENV === 'development') {
      const rows = logins.map((l) => `  ${l.email.padEnd(26)} ${l.role}${l.vendor ? ` — ${l.vendor}` : ''}`).join('\n');
      process.stdout.write(`\nDemo accounts (password: ${DEMO_PASSWORD}):\n${rows}\n\n`);
    }
  }
  const { url } = await slotcast.listen();
  logger.info({ url, database: slotcast.db.kind, docs: `${url}/docs` }, `Slotcast listening on ${url}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), config.shutdownDelayMs + 15_000);
    force.unref();
    await slotcast.close();
    await stopTracing().catch(() => {});
    // Rolling files write asynchronously: let the last lines land before exiting.
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
