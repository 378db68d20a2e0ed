import type { Logger } from 'pino';
import type { DurableSubscription } from '../bus/durable.js';
import type { WorkerBus } from '../bus/worker-bus.js';
import type { Config } from '../config.js';
import type { Mailer } from '../mail/mailer.js';
import type { ComposeNotificationMail } from '../mail/notification-mail.js';
import type { Metrics } from '../observability/metrics.js';
import type { Db } from '../store/db.js';
import { startAnalyticsWorker } from './analytics-worker.js';
import { emailChannel } from './email-sender.js';
import { startMailWorker } from './mail-worker.js';
import { startNotificationsWorker } from './notifications-worker.js';
import { OutboxSender } from './outbox-sender.js';
import { pushChannel } from './push-sender.js';
import { startRemindersWorker } from './reminders-worker.js';
import type { WorkerServices } from './worker-services.js';

/**
 * A node's workers (WORKERS_ENABLED; a node with it off leaves them to the others and spends itself on requests and
 * sockets): the durable consumers that see every event once (notifications, reminders, analytics, account mail) and
 * the outbox sender, the one way push and email leave — the notifications worker fills the outbox in its transaction.
 */
export async function startNodeWorkers(deps: {
  config: Config;
  bus: WorkerBus;
  db: Db;
  logger: Logger;
  metrics: Metrics;
  services: WorkerServices;
  mailer: Mailer;
  /** Writes notification mails; by default the services' composer. */
  composeMail?: ComposeNotificationMail;
  now?: () => Date;
}): Promise<{ outbox: OutboxSender | null; stop(): Promise<void> }> {
  const { config, bus, db, logger, now, services } = deps;
  if (!config.WORKERS_ENABLED) return { outbox: null, stop: async () => {} };
  const publicUrl = config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`;
  const durable: DurableSubscription[] = [
    await startNotificationsWorker(bus, services.notifications),
    await startRemindersWorker(bus, services.reminders),
    await startAnalyticsWorker(bus, services.analytics),
    await startMailWorker(bus, { mailer: deps.mailer, publicUrl }),
  ];
  const outbox = new OutboxSender({
    db,
    logger: logger.child({ component: 'outbox' }),
    now,
    leaseMs: config.OUTBOX_LEASE_SECONDS * 1000,
    retryDelaysMs: config.PUSH_RETRY_DELAYS_MS,
    sweepMs: config.OUTBOX_SWEEP_SECONDS * 1000,
    senders: [
      // No push provider configured: push rows wait (and are pruned) rather than being marked sent to nobody.
      ...(services.pushSetup.senders.length
        ? [
            pushChannel({
              db,
              senders: services.pushSetup.senders,
              actionTokens: services.actionTokens,
              openMarks: services.openMarks,
              sendConcurrency: config.PUSH_SEND_CONCURRENCY,
              logger: logger.child({ component: 'push' }),
              now,
              onOutcome: (provider, outcome) => deps.metrics.pushSends.inc({ provider, outcome }),
            }),
          ]
        : []),
      emailChannel({
        db,
        mailer: deps.mailer,
        compose: deps.composeMail ?? services.notificationMail,
        publicUrl,
        logger: logger.child({ component: 'mail' }),
      }),
    ],
  });
  await outbox.start();
  return {
    outbox,
    async stop() {
      await Promise.all(durable.map((w) => w.stop()));
      await outbox.stop();
    },
  };
}
