import type { DurableSubscription } from '../bus/durable.js';
import type { WorkerBus } from '../bus/worker-bus.js';
import type { AnalyticsService } from '../usecases/analytics.js';

/** Named once: the RabbitMQ queue (`slotcast.analytics`) and the row in consumer_offsets. */
export const ANALYTICS_WORKER = 'analytics';

/**
 * Keeps the analytics rollups (store/analytics-repo.ts) from booking events. On its first start it begins at the
 * start of the retained log, so existing history is rolled up (the backfill); the counts are written in the
 * consumer's transaction, so a crash neither loses nor doubles any.
 */
export function startAnalyticsWorker(bus: WorkerBus, analytics: AnalyticsService): Promise<DurableSubscription> {
  return bus.subscribeDurable(ANALYTICS_WORKER, (events, { tx }) => analytics.fromEvents(tx, events), {
    bindings: ['booking.*'],
    startAt: 'beginning',
  });
}
