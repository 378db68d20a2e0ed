import type { StoredEvent } from '../store/event-log.js';

/** Carries committed event-log rows, in id order, to the parts of this node that act on them. */
export interface EventBus {
  subscribe(handler: (batch: StoredEvent[]) => void): () => void;
  /** The id of the last event handed to subscribers on this node. */
  readonly lastDeliveredId: number;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export type { StoredEvent };
