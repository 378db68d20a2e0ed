import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Db } from '../store/db.js';
import { pruneSentOutbox } from '../store/deliveries-repo.js';
import { pruneReceipts } from '../store/durable-consumers.js';
import { pruneEvents } from '../store/event-log.js';
import { pruneKeys } from '../store/idempotency.js';
import { pruneSends } from '../store/push-repo.js';
import type { BookingService } from '../usecases/bookings.js';
import type { DeliveryService } from '../usecases/notification-deliveries.js';
import type { ReminderService } from '../usecases/reminders.js';

/**
 * Periodic jobs of a node: expire unconfirmed requests, send due reminders (REMINDER_SWEEP_SECONDS), release held
 * notifications as digests (DIGEST_SWEEP_SECONDS: quiet hours, batching window, hourly/daily), enforce retention of
 * events, idempotency keys and sent outbox messages. Every node runs them; the jobs themselves make them exactly once.
 */
export function startWorkers(deps: {
  db: Db;
  bookings: BookingService;
  deliveries: DeliveryService;
  reminders: ReminderService;
  logger: Logger;
  config: Config;
}) {
  const { db, bookings, deliveries, reminders, logger, config } = deps;
  let busy = false;
  const expiry = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      const n = await bookings.expireDue();
      if (n) logger.info({ expired: n }, 'expired unconfirmed booking requests');
    } catch (err) {
      logger.warn({ err }, 'expiry sweep failed');
    } finally {
      busy = false;
    }
  }, config.EXPIRY_SWEEP_SECONDS * 1000);
  // A reminder made inside quiet hours is held like any notification, and released by the digest job.
  const reminding = sweep(config.REMINDER_SWEEP_SECONDS, 'reminder job failed', () => reminders.sendDue());
  const digests = sweep(config.DIGEST_SWEEP_SECONDS, 'digest job failed', () => deliveries.releaseHeld());
  const retention = setInterval(async () => {
    try {
      const cutoff = new Date(Date.now() - config.EVENT_RETENTION_HOURS * 3_600_000);
      const pruned = await pruneEvents(db, cutoff);
      await pruneKeys(db, new Date(Date.now() - 24 * 3_600_000));
      // A consumer's receipt (and a push delivery record) only has to outlive redeliveries of events still in the log.
      await pruneReceipts(db, cutoff);
      await pruneSends(db, cutoff);
      // Sent (or failed) messages only serve the frequency report and debugging once done.
      await pruneSentOutbox(db, new Date(Date.now() - config.OUTBOX_RETENTION_DAYS * 86_400_000));
      if (pruned) logger.info({ pruned }, 'pruned events past retention');
    } catch (err) {
      logger.warn({ err }, 'retention sweep failed');
    }
  }, 10 * 60_000);
  expiry.unref();
  retention.unref();
  /** A job every `seconds`, never overlapping itself. */
  function sweep(seconds: number, failure: string, job: () => Promise<unknown>) {
    let running = false;
    const timer = setInterval(async () => {
      if (running) return;
      running = true;
      try {
        await job();
      } catch (err) {
        logger.warn({ err }, failure);
      } finally {
        running = false;
      }
    }, seconds * 1000);
    timer.unref();
    return timer;
  }
  return {
    stop() {
      clearInterval(expiry);
      clearInterval(reminding);
      clearInterval(digests);
      clearInterval(retention);
    },
  };
}
