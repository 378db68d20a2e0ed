import { createSlotcast } from './app.js';
import { loadConfig } from './config.js';
import { DEMO_PASSWORD, seedDemoData } from './demo/seed.js';
import { createLogger } from './observability/logger.js';

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  const logger = createLogger({
    level: config.LOG_LEVEL,
    pretty: config.NODE_ENV === 'development' && process.stdout.isTTY,
  });
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
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await slotcast.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
