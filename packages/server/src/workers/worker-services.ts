import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { createNotificationMailComposer } from '../mail/notification-mail.js';
import { MailOpenMarks } from '../mail/open-marks.js';
import { UnsubscribeTokens } from '../mail/unsubscribe-tokens.js';
import { mailAddressOf } from '../node-resources.js';
import { ActionTokens } from '../push/action-tokens.js';
import { createPushSenders } from '../push/push-senders.js';
import type { Db } from '../store/db.js';
import { AnalyticsService } from '../usecases/analytics.js';
import { DeliveryService } from '../usecases/notification-deliveries.js';
import { PreferenceService } from '../usecases/notification-preferences.js';
import { NotificationService } from '../usecases/notifications.js';
import { ReminderService } from '../usecases/reminders.js';

/**
 * The services a node's workers run on (notifications, reminders, analytics, mail and push), built the same way on
 * the main thread (which also serves them over HTTP) and in the workers thread (workers/workers-thread.ts).
 */
export type WorkerServices = Awaited<ReturnType<typeof createWorkerServices>>;

export async function createWorkerServices(deps: {
  config: Config;
  db: Db;
  /** The node's token secret: action tokens in pushes, unsubscribe links and open marks in mails. */
  secret: string;
  logger: Logger;
  /** Events were committed: the bus should look at the log now. */
  poke: () => void;
  now?: () => Date;
  /** An extra CA trusted for push services (tests run local ones with their own certificate). */
  pushCa?: string;
}) {
  const { config, db, secret, now, poke } = deps;
  const preferences = new PreferenceService(db, now);
  const deliveries = new DeliveryService(db, preferences, now, {
    batchWindowMs: config.NOTIFY_BATCH_WINDOW_SECONDS * 1000,
  });
  const notifications = new NotificationService(db, poke, deliveries);
  const reminders = new ReminderService(db, notifications, now, poke);
  const analytics = new AnalyticsService(db, now);
  const pushSetup = await createPushSenders(config, deps.logger, { ca: deps.pushCa });
  const actionTokens = new ActionTokens(secret, config.PUSH_ACTION_TOKEN_TTL_SECONDS);
  const openMarks = new MailOpenMarks(secret);
  const unsubscribeTokens = new UnsubscribeTokens(secret);
  const notificationMail = createNotificationMailComposer({
    unsubscribeTokens,
    openMarks,
    fromAddress: mailAddressOf(config.MAIL_FROM),
    now,
  });
  return {
    preferences,
    deliveries,
    notifications,
    reminders,
    analytics,
    pushSetup,
    actionTokens,
    openMarks,
    unsubscribeTokens,
    notificationMail,
  };
}
