import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Db } from '../store/db.js';
import { pruneReceipts } from '../store/durable-consumers.js';
import { pruneEvents } from '../store/event-log.js';
import { pruneKeys } from '../store/idempotency.js';
import { pruneDeliveries } from '../store/push-repo.js';
import type { BookingService } from '../usecases/bookings.js';
import type { DeliveryService } from '../usecases/notification-deliveries.js';
import type { ReminderService } from '../usecases/reminders.js';

/**
 * Periodic jobs of a node: expire unconfirmed requests, send due reminders, release notifications held through quiet
 * hours as digests,
 * enforce event and idempotency-key retention. Every node runs them; the jobs themselves make them exactly once.
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
  let digesting = false;
  const digests = setInterval(async () => {
    if (digesting) return;
    digesting = true;
    try {
      // Reminders first: one made inside quiet hours is held, and released with the digest when they end.
      await reminders.sendDue();
      await deliveries.releaseHeld();
    } catch (err) {
      logger.warn({ err }, 'reminder or digest job failed');
    } finally {
      digesting = false;
    }
  }, config.DIGEST_SWEEP_SECONDS * 1000);
  const retention = setInterval(async () => {
    try {
      const cutoff = new Date(Date.now() - config.EVENT_RETENTION_HOURS * 3_600_000);
      const pruned = await pruneEvents(db, cutoff);
      await pruneKeys(db, new Date(Date.now() - 24 * 3_600_000));
      // A consumer's receipt (and a push delivery record) only has to outlive redeliveries of events still in the log.
      await pruneReceipts(db, cutoff);
      await pruneDeliveries(db, cutoff);
      if (pruned) logger.info({ pruned }, 'pruned events past retention');
    } catch (err) {
      logger.warn({ err }, 'retention sweep failed');
    }
  }, 10 * 60_000);
  expiry.unref();
  digests.unref();
  retention.unref();
  return {
    stop() {
      clearInterval(expiry);
      clearInterval(digests);
      clearInterval(retention);
    },
  };
}
