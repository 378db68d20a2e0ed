import type { StoredEvent } from '../store/event-log.js';
import type { DurableHandler, DurableOptions, DurableSubscription } from './durable.js';
import type { EventBus } from './event-bus.js';

/** A named readiness check, the shape /readyz takes. */
export interface BusCheck {
  name: string;
  check: () => Promise<void>;
}

/**
 * What a node gets from its bus, embedded (one process, the log tailer) or RabbitMQ (scale-out); config picks one.
 * `subscribe` is this node's realtime stream; `subscribeDurable` is for workers that must see every event once,
 * whichever node runs them, and survive restarts.
 */
export interface NodeBus extends EventBus {
  readonly kind: 'embedded' | 'amqp';
  /** With a broker: whether this node is the one relaying the outbox to it now. */
  readonly isRelay?: boolean;
  subscribe(handler: (batch: StoredEvent[]) => void): () => void;
  /** A local commit happened: look at the log now rather than at the next NOTIFY or poll. */
  poke(): void;
  /** Events this node just committed, in id order: delivered at once when they follow what was delivered. */
  offer?(events: readonly StoredEvent[]): void;
  subscribeDurable(name: string, handler: DurableHandler, opts?: DurableOptions): Promise<DurableSubscription>;
  readinessChecks(): BusCheck[];
}
