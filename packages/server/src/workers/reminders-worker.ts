import type { DurableSubscription } from '../bus/durable.js';
import type { WorkerBus } from '../bus/worker-bus.js';
import type { ReminderService } from '../usecases/reminders.js';

/** Named once: the RabbitMQ queue (`slotcast.reminders`) and the row in consumer_offsets. */
export const REMINDERS_WORKER = 'reminders';

/**
 * Keeps each booking's reminder jobs in step with it: made on confirm, moved on reschedule, removed on cancel,
 * decline, expiry, check-in or no-show. The jobs are written in the consumer's transaction.
 */
export function startRemindersWorker(bus: WorkerBus, reminders: ReminderService): Promise<DurableSubscription> {
  return bus.subscribeDurable(REMINDERS_WORKER, (events, { tx }) => reminders.fromEvents(tx, events), {
    bindings: ['booking.*'],
  });
}
