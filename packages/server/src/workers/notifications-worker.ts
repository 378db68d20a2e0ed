import type { DurableSubscription } from '../bus/durable.js';
import type { WorkerBus } from '../bus/worker-bus.js';
import type { NotificationService } from '../usecases/notifications.js';

/** Named once: it is the RabbitMQ queue (`slotcast.notifications`) and the row in consumer_offsets. */
export const NOTIFICATIONS_WORKER = 'notifications';

/**
 * Turns booking events into per-user notifications, in batches, on whichever node runs workers. Exactly once per
 * (recipient, event): the rows are written in the consumer's transaction and are unique on (user, source event).
 */
export function startNotificationsWorker(
  bus: WorkerBus,
  notifications: NotificationService,
): Promise<DurableSubscription> {
  return bus.subscribeDurable(NOTIFICATIONS_WORKER, (events, { tx }) => notifications.fromEvents(tx, events), {
    bindings: ['booking.*'],
  });
}
