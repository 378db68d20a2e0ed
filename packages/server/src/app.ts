import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { TokenSigner } from './auth/tokens.js';
import { LogTailer } from './bus/log-tailer.js';
import type { Config } from './config.js';
import { buildHttpServer } from './http/server.js';
import { attachGateway, type Gateway } from './realtime/gateway.js';
import type { Db } from './store/db.js';
import { migrate } from './store/migrate.js';
import { openPglite } from './store/pglite.js';
import { openPostgres } from './store/postgres.js';
import { AuthService } from './usecases/auth.js';
import { BookingService } from './usecases/bookings.js';
import { CatalogService } from './usecases/catalog.js';
import { NotificationService } from './usecases/notifications.js';
import { LogConsumer } from './workers/log-consumer.js';
import { startWorkers } from './workers/workers.js';

export interface Slotcast {
  config: Config;
  db: Db;
  http: FastifyInstance;
  bus: LogTailer;
  gateway: Gateway;
  auth: AuthService;
  bookings: BookingService;
  catalog: CatalogService;
  notifications: NotificationService;
  signer: TokenSigner;
  logger: Logger;
  /** Starts listening; resolves to the bound address. */
  listen(): Promise<{ host: string; port: number; url: string }>;
  close(): Promise<void>;
}

export interface SlotcastOverrides {
  db?: Db;
  now?: () => Date;
}

/** Wires one Slotcast node from its configuration. Nothing here is global: tests build several in one process. */
export async function createSlotcast(
  config: Config,
  logger: Logger,
  overrides: SlotcastOverrides = {},
): Promise<Slotcast> {
  const db = overrides.db ?? (await openDatabase(config));
  const applied = await migrate(db);
  if (applied.length) logger.info({ migrations: applied }, 'database migrated');

  const signer = new TokenSigner(await jwtSecret(config, logger), config.ACCESS_TOKEN_TTL_SECONDS);
  const bus = new LogTailer(db, {
    markPublished: !config.AMQP_URL,
    onError: (err) => logger.warn({ err }, 'event log read failed; retrying'),
  });
  let gateway: Gateway | null = null;
  const auth = new AuthService({
    db,
    signer,
    refreshTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
    onSessionRevoked: (sessionId) => gateway?.revokeSession(sessionId),
  });
  const catalog = new CatalogService(db);
  const bookings = new BookingService({ db, now: overrides.now, onEvents: () => bus.poke() });
  const notifications = new NotificationService(db, () => bus.poke());
  const notifier = new LogConsumer(db, 'notifications', (tx, events) => notifications.fromEvents(tx, events), {
    afterCommit: () => bus.poke(),
    onError: (err) => logger.warn({ err }, 'notification consumer failed; retrying'),
  });

  let draining = false;
  const http = await buildHttpServer({
    db,
    logger,
    auth,
    catalog,
    bookings,
    notifications,
    bodyLimit: config.BODY_LIMIT_BYTES,
    loginLimits: { failuresPerAccount: 5, failuresPerIp: 100, windowSeconds: 15 * 60 },
    isDraining: () => draining,
  });
  await bus.start();
  gateway = attachGateway({ httpServer: http.server, db, bus, auth, logger, allowedOrigins: config.ALLOWED_ORIGINS });
  const workers = startWorkers({ db, bookings, logger, config });
  await notifier.start();
  // Each new event may be a booking change that someone must be told about.
  const unsubscribeNotifier = bus.subscribe(() => notifier.poke());

  return {
    config,
    db,
    http,
    bus,
    gateway,
    auth,
    bookings,
    catalog,
    notifications,
    signer,
    logger,
    async listen() {
      await http.listen({ host: config.HOST, port: config.PORT });
      const addr = http.server.address();
      const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
      const host = config.HOST === '0.0.0.0' ? 'localhost' : config.HOST;
      return { host, port, url: `http://${host}:${port}` };
    },
    async close() {
      draining = true;
      workers.stop();
      unsubscribeNotifier();
      await notifier.stop();
      await gateway!.drain(1000);
      await gateway!.close();
      await http.close();
      await bus.stop();
      if (!overrides.db) await db.close();
    },
  };
}

async function openDatabase(config: Config): Promise<Db> {
  if (config.DATABASE_URL) return openPostgres(config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE });
  const dir = path.resolve(config.DATA_DIR, 'pglite');
  await mkdir(dir, { recursive: true });
  return openPglite(dir);
}

/** In development a secret is made once and kept in DATA_DIR, so sessions survive a restart. */
async function jwtSecret(config: Config, logger: Logger): Promise<string> {
  if (config.JWT_SECRET) return config.JWT_SECRET;
  const file = path.resolve(config.DATA_DIR, 'jwt-secret');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const secret = randomBytes(48).toString('base64url');
    await mkdir(config.DATA_DIR, { recursive: true });
    await writeFile(file, secret, { mode: 0o600 });
    logger.info({ file }, 'generated a development JWT secret');
    return secret;
  }
}
