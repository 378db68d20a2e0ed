/**
 * Counters the bus reports; the observability layer maps each to a Prometheus counter
 * (`slotcast_bus_<name>_total`, label `consumer` where given). Every hook is optional: without one nothing is counted.
 */
export type BusCounter =
  /** Events the broker confirmed (the relay then marks them published). */
  | 'relay_published'
  /** Relay batches that failed (broker or database away); the outbox keeps them for the next try. */
  | 'relay_publish_failures'
  /** Times this node became the relay. */
  | 'relay_leadership_acquired'
  /** Events a consumer handed on: to local sockets (`realtime`) or to a durable handler. */
  | 'consumer_delivered'
  /** Messages dropped because their event id was already delivered (redelivery, relay fail-over). */
  | 'consumer_duplicates'
  /** Events read from the event log because their message was missing (lost, or the broker away). */
  | 'consumer_gap_filled'
  /** Events copied from the log into a new durable queue whose consumer starts at the beginning (amqp-backfill.ts). */
  | 'consumer_backfilled'
  /** Durable handler failures that were scheduled for another try. */
  | 'consumer_retried'
  /** Durable handler failures past the last retry, moved to the dead-letter queue. */
  | 'consumer_dead_lettered'
  /** Connections to the broker re-established after a loss. */
  | 'amqp_reconnects';

export interface BusMetrics {
  count(counter: BusCounter, n?: number, labels?: { consumer: string }): void;
  /**
   * How far a durable consumer is behind (`slotcast_bus_consumer_lag_events`): event ids between its position and
   * the log's end without a broker, messages waiting in its queue with one.
   */
  lag?(consumer: string, events: number): void;
}

export const noBusMetrics: BusMetrics = { count() {} };
