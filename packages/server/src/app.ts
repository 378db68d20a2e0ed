import type { TracerProvider } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { TokenSigner } from './auth/tokens.js';
import { handOffCommitted } from './bus/commit-handoff.js';
import { createBus } from './bus/create-bus.js';
import type { StoredEvent } from './bus/event-bus.js';
import type { NodeBus } from './bus/node-bus.js';
import type { Config } from './config.js';
import { clientAddressOf } from './http/client-address.js';
import { type ReadinessCheck, runReadinessChecks } from './http/health-routes.js';
import { metricsRoute } from './http/metrics-route.js';
import { limitRequests } from './http/rate-limit-hook.js';
import { observeRequests } from './http/request-observability.js';
import { buildHttpServer } from './http/server.js';
import { LoadGovernor } from './limits/load-governor.js';
import { DEFAULT_LOGIN_THROTTLE, LoginThrottle } from './limits/login-throttle.js';
import { type LimiterFactory, memoryLimiters, RateLimits, rateLimitSettings } from './limits/rate-limits.js';
import { redisLimiters } from './limits/redis-limiters.js';
import type { Mailer } from './mail/mailer.js';
import type { ComposeNotificationMail } from './mail/notification-mail.js';
import { jwtSecret, mailerFor, openDatabase } from './node-resources.js';
import { loadAlertThresholds } from './observability/alert-rules.js';
import { instrumentDb } from './observability/instrumented-db.js';
import { Metrics } from './observability/metrics.js';
import { publishOpsSamples } from './observability/ops-publisher.js';
import { isClusterReader } from './observability/ops-reader.js';
import { OpsSampler } from './observability/ops-sampler.js';
import { realtimeObserver } from './observability/realtime-observer.js';
import { socketStats } from './observability/socket-stats.js';
import { Tracing } from './observability/tracing.js';
import { type Clock, systemClock } from './realtime/expiry-timers.js';
import { attachGateway, type Gateway } from './realtime/gateway.js';
import { DEFAULT_HANDSHAKE_LIMITS } from './realtime/handshake-auth.js';
import { countPresence, tagSocketsWithNode } from './realtime/presence.js';
import { type RedisAdapterHandle, useRedisAdapter } from './realtime/redis-adapter.js';
import { ADMIN_ROOM } from './realtime/rooms.js';
import { handshakeThrottle, holdSocketSlots, messageBudget } from './realtime/socket-limits.js';
import { CatalogCache } from './store/catalog-cache.js';
import { type Db, ping } from './store/db.js';
import { outboxStats } from './store/event-log.js';
import { migrate } from './store/migrate.js';
import { AccountService } from './usecases/accounts.js';
import { AuthService } from './usecases/auth.js';
import { BookingService } from './usecases/bookings.js';
import { CatalogService } from './usecases/catalog.js';
import { EngagementService } from './usecases/engagement.js';
import type { DeliveryService } from './usecases/notification-deliveries.js';
import type { PreferenceService } from './usecases/notification-preferences.js';
import type { NotificationService } from './usecases/notifications.js';
import { PeopleService } from './usecases/people.js';
import { PushService } from './usecases/push.js';
import { RealtimeAccess } from './usecases/realtime-access.js';
import type { ReminderService } from './usecases/reminders.js';
import { flushSocketActivity, SocketActivity } from './usecases/socket-activity.js';
import { startNodeWorkers } from './workers/node-workers.js';
import type { OutboxSender } from './workers/outbox-sender.js';
import { createWorkerServices } from './workers/worker-services.js';
import { startWorkers } from './workers/workers.js';
import { runWorkersThread, workersInThread } from './workers/workers-thread.js';

/** How long the dependency gauge waits for each dependency (a scrape waits at most 1 s for a source). */
const DEPENDENCY_CHECK_TIMEOUT_MS = 800;

export interface Slotcast {
  config: Config;
  db: Db;
  http: FastifyInstance;
  bus: NodeBus;
  gateway: Gateway;
  auth: AuthService;
  bookings: BookingService;
  catalog: CatalogService;
  notifications: NotificationService;
  preferences: PreferenceService;
  deliveries: DeliveryService;
  reminders: ReminderService;
  push: PushService;
  /** The sender loop of push and email (null on a node with WORKERS_ENABLED=false). */
  outbox: OutboxSender | null;
  /** Builds notification mails (unsubscribe link, calendar file) for the email sender of `notification_outbox`. */
  notificationMail: ComposeNotificationMail;
  signer: TokenSigner;
  logger: Logger;
  metrics: Metrics;
  limits: RateLimits;
  tracing: Tracing;
  /** This node's socket activity for the engagement rollups (flushed every ANALYTICS_ACTIVITY_FLUSH_SECONDS). */
  socketActivity: SocketActivity;
  /** Adds a dependency /readyz checks. */
  addReadinessCheck(check: ReadinessCheck): void;
  /** Starts listening; resolves to the bound address. */
  listen(): Promise<{ host: string; port: number; url: string }>;
  close(): Promise<void>;
}

export interface SlotcastOverrides {
  db?: Db;
  now?: () => Date;
  /** Tracing without a global SDK (tests); by default the registered SDK, if any. */
  tracerProvider?: TracerProvider;
  /** Rate-limit store: memory by default; Redis-backed to share budgets between nodes. */
  limiterFactory?: LimiterFactory;
  /** An extra CA trusted for push services (tests run local ones with their own certificate). */
  pushCa?: string;
  /** Outgoing mail; by default from SMTP_URL (or DATA_DIR/mail/). */
  mailer?: Mailer;
  /** Writes notification mails; by default plain text (mail/notification-mail.ts). */
  composeMail?: ComposeNotificationMail;
  /** Timers of the live operations samples (tests drive them with fake timers). */
  opsClock?: Clock;
}

/** Wires one Slotcast node from its configuration. Nothing here is global: tests build several in one process. */
export async function createSlotcast(
  config: Config,
  logger: Logger,
  overrides: SlotcastOverrides = {},
): Promise<Slotcast> {
  const metrics = new Metrics({ nodeId: config.nodeId });
  const tracing = new Tracing(overrides.tracerProvider);
  const rawDb = overrides.db ?? (await openDatabase(config));
  // Events this node commits go to the bus at once when they follow what it delivered (bus/commit-handoff.ts).
  let offerCommitted: ((events: readonly StoredEvent[]) => void) | undefined;
  const db = handOffCommitted(instrumentDb(rawDb, metrics, tracing), (events) => offerCommitted?.(events));
  const applied = await migrate(db);
  if (applied.length) logger.info({ migrations: applied }, 'database migrated');

  const secret = await jwtSecret(config, logger);
  const signer = new TokenSigner(secret, config.ACCESS_TOKEN_TTL_SECONDS);
  // Embedded log tailer, or RabbitMQ with AMQP_URL (bus/create-bus.ts).
  const bus = createBus(config, db, logger, metrics.bus);
  offerCommitted = (events) => bus.offer?.(events);
  let redis: RedisAdapterHandle | null = null;
  let gateway: Gateway | null = null;
  const accounts = new AccountService({
    db,
    verificationRequired: config.EMAIL_VERIFICATION,
    now: overrides.now,
    onEvents: () => bus.poke(),
    onSessionsRevoked: (sessionIds, message) => gateway?.revokeSessions(sessionIds, message),
  });
  const auth = new AuthService({
    db,
    signer,
    onSignUp: (tx, user) => accounts.startVerification(tx, user),
    onEvents: () => bus.poke(),
    refreshTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
    reuseGraceMs: config.REFRESH_REUSE_GRACE_SECONDS * 1000,
    onSessionRevoked: (sessionId) => gateway?.revokeSessions([sessionId]),
  });
  const catalogCache = new CatalogCache(db);
  await catalogCache.start();
  const catalog = new CatalogService(db, catalogCache);
  const bookings = new BookingService({ db, catalog: catalogCache, now: overrides.now, onEvents: () => bus.poke() });
  const services = await createWorkerServices({
    config,
    db,
    secret,
    logger,
    poke: () => bus.poke(),
    now: overrides.now,
    pushCa: overrides.pushCa,
  });
  const { preferences, deliveries, notifications, reminders, analytics, pushSetup, openMarks } = services;
  const push = new PushService({
    db,
    bookings,
    actionTokens: services.actionTokens,
    openMarks,
    now: overrides.now,
    vapidPublicKey: pushSetup.vapidPublicKey,
    endpointHosts: config.PUSH_ENDPOINT_HOSTS,
  });
  const engagement = new EngagementService(db, overrides.now);

  // Beyond the database, which /readyz always checks; addReadinessCheck adds more.
  const readinessChecks: ReadinessCheck[] = [
    ...bus.readinessChecks(),
    ...(config.REDIS_URL ? [{ name: 'redis', check: () => redis?.check() ?? Promise.resolve() }] : []),
  ];
  let connections = () => 0;
  const governor = new LoadGovernor(
    {
      lagMs: config.RATE_LIMIT_TIGHTEN_LAG_MS,
      connections: config.RATE_LIMIT_TIGHTEN_CONNECTIONS,
      divisor: config.RATE_LIMIT_TIGHTEN_DIVISOR,
      relaxSeconds: config.RATE_LIMIT_RELAX_SECONDS,
    },
    () => connections(),
    (divisor, sample) => {
      metrics.rateLimitDivisor.set(divisor);
      if (divisor > 1) logger.warn({ ...sample, divisor }, 'under load: rate limits tightened');
      else logger.info(sample, 'load back to normal: rate limits relaxed');
    },
  );
  // Several nodes share rate-limit budgets through Redis when it is configured.
  const sharedLimiters = !overrides.limiterFactory && config.REDIS_URL ? redisLimiters(config.REDIS_URL, logger) : null;
  const limits = new RateLimits({
    settings: rateLimitSettings(config),
    divisor: () => governor.divisor,
    onReject: (limiter) => metrics.rateLimitRejections.inc({ limiter }),
    onStoreError: (err) => logger.warn({ err }, 'rate-limit store failed; request let through'),
    factory: overrides.limiterFactory ?? sharedLimiters?.factory,
    concurrency: sharedLimiters?.concurrency,
  });

  // Failed sign-ins: on even when request rate limits are off, shared through Redis like them.
  const loginThrottle = new LoginThrottle(
    DEFAULT_LOGIN_THROTTLE,
    overrides.limiterFactory ?? sharedLimiters?.factory ?? memoryLimiters,
  );
  let draining = false;
  const http = await buildHttpServer({
    pingDatabase: () => ping(db),
    logger,
    auth,
    accounts,
    catalog,
    bookings,
    people: new PeopleService({ db }),
    notifications,
    preferences,
    unsubscribeTokens: services.unsubscribeTokens,
    onMailLinkFollowed: async (mark) => {
      const outboxId = openMarks.verify(mark);
      if (outboxId !== null) await preferences.recordMailOpen(outboxId);
    },
    push,
    analytics,
    engagement,
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    allowedOrigins: config.ALLOWED_ORIGINS,
    refreshTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
    loginThrottle,
    isDraining: () => draining,
    webDist: config.WEB_DIST,
    readinessChecks,
    plugins: [
      (app) => observeRequests(app, { metrics, tracing }),
      (app) => limitRequests(app, limits),
      (app) => metricsRoute(app, { metrics, token: config.METRICS_TOKEN }),
    ],
    presence: () => countPresence(gateway!.io),
  });
  await bus.start();
  // Engagement figures: who had a socket open when, counted in memory (the gateway reports each socket opened and
  // closed) and added to the rollups once per interval.
  const activityClock = overrides.opsClock ?? systemClock;
  const socketActivity = new SocketActivity(db, () => activityClock.now());
  gateway = attachGateway({
    httpServer: http.server,
    access: new RealtimeAccess(db),
    bus,
    auth,
    logger,
    allowedOrigins: config.ALLOWED_ORIGINS,
    observer: realtimeObserver(metrics, tracing, config.nodeId),
    handshakeLimits: {
      ...DEFAULT_HANDSHAKE_LIMITS,
      concurrency: config.SOCKET_HANDSHAKE_CONCURRENCY,
      maxWaitMs: config.SOCKET_HANDSHAKE_MAX_WAIT_MS,
    },
    replayConcurrency: config.SOCKET_REPLAY_CONCURRENCY,
    beforeAuth: limits.enabled ? [handshakeThrottle(limits, clientAddressOf(config.TRUST_PROXY))] : [],
    messageBudget: messageBudget(limits, metrics, logger),
    activity: socketActivity,
  });
  holdSocketSlots(gateway.io, limits, logger);
  const io = gateway.io;
  connections = () => io.engine.clientsCount;
  metrics.setSources({
    sockets: () => socketStats(io.of('/')),
    pool: () => rawDb.stats(),
    outbox: () => outboxStats(rawDb),
    // Each check bounded below a scrape's patience: one that hangs reads as down, not as a stale "up".
    dependencies: async () => {
      const results = await runReadinessChecks(
        [{ name: 'database', check: () => ping(db) }, ...readinessChecks],
        DEPENDENCY_CHECK_TIMEOUT_MS,
      );
      return Object.fromEntries(Object.entries(results).map(([name, r]) => [name, r === 'ok']));
    },
  });
  if (limits.enabled) governor.start();
  // Scale-out: rooms, revocations and fetchSockets across nodes; events still go out from each node's own bus.
  if (config.REDIS_URL) redis = useRedisAdapter(gateway.io, config.REDIS_URL, logger);
  tagSocketsWithNode(gateway.io, config.nodeId);
  const activityFlusher = flushSocketActivity(socketActivity, {
    intervalMs: config.ANALYTICS_ACTIVITY_FLUSH_SECONDS * 1000,
    clock: activityClock,
    logger,
  });
  const workers = startWorkers({ db, bookings, deliveries, reminders, logger, config });
  // Fail at start, not on the first sample, when the alert rules cannot be read.
  const opsIntervalMs = config.OPS_SAMPLE_INTERVAL_SECONDS * 1000;
  const sampler = new OpsSampler({
    nodeId: config.nodeId,
    intervalMs: opsIntervalMs,
    nsp: io.of('/'),
    metrics,
    db: rawDb,
    pool: () => rawDb.stats(),
    readinessChecks,
    thresholds: loadAlertThresholds(config.ALERT_RULES_FILE),
    now: () => (overrides.opsClock ?? systemClock).now(),
    isRelay: () => bus.isRelay,
  });
  const opsPublisher = publishOpsSamples({
    intervalMs: opsIntervalMs,
    clock: overrides.opsClock ?? systemClock,
    // Every interval its own figures; the cluster-wide reads only on one node while an admin watches.
    sample: async () => sampler.sample({ clusterReads: await isClusterReader(io.of('/'), config.nodeId) }),
    emit: (sample) => io.to(ADMIN_ROOM).emit('ops:sample', sample),
    logger,
  });
  const mailer = overrides.mailer ?? mailerFor(config, logger);
  const nodeWorkers = workersInThread(config, overrides)
    ? await runWorkersThread({ config, logger, bus, metrics, pushCa: overrides.pushCa })
    : await startNodeWorkers({
        config,
        bus,
        db,
        logger,
        metrics,
        services,
        mailer,
        composeMail: overrides.composeMail,
        now: overrides.now,
      });
  const { outbox } = nodeWorkers;

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
    preferences,
    deliveries,
    reminders,
    push,
    outbox,
    notificationMail: services.notificationMail,
    signer,
    logger,
    metrics,
    limits,
    tracing,
    socketActivity,
    addReadinessCheck: (check) => void readinessChecks.push(check),
    async listen() {
      await http.listen({ host: config.HOST, port: config.PORT, backlog: config.LISTEN_BACKLOG });
      const addr = http.server.address();
      const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
      const host = config.HOST === '0.0.0.0' ? 'localhost' : config.HOST;
      return { host, port, url: `http://${host}:${port}` };
    },
    async close() {
      draining = true;
      // /readyz answers 503 from here on; give load balancers time to notice before connections go.
      if (config.shutdownDelayMs) await new Promise((r) => setTimeout(r, config.shutdownDelayMs));
      governor.stop();
      opsPublisher.stop();
      await activityFlusher.stop();
      workers.stop();
      await nodeWorkers.stop();
      await Promise.all(pushSetup.senders.map((s) => s.close?.()));
      mailer.close();
      await gateway!.drain(1000);
      await gateway!.close();
      await redis?.close();
      await sharedLimiters?.close();
      await http.close();
      await bus.stop();
      await catalogCache.stop();
      if (!overrides.db) await db.close();
      metrics.close();
    },
  };
}
