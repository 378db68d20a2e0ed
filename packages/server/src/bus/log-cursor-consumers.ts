import type { Db } from '../store/db.js';
import type { StoredEvent } from '../store/event-log.js';
import {
  bindingMatches,
  checkConsumerName,
  type DurableHandler,
  type DurableOptions,
  type DurableSubscription,
} from './durable.js';
import { LogCursorConsumer, type LogCursorDeps } from './log-cursor-consumer.js';

/**
 * A node's durable consumers without a broker (bus/log-cursor-consumer.ts), woken only by events their bindings match:
 * the notifications worker's own notification.created events are one per recipient per change and wanted by none of
 * the workers, so they wake nobody; whatever a consumer was not woken for is passed over by its next batch, or its
 * poll. The embedded bus feeds it from its tailer; a workers thread from the types its node's tailer delivered.
 */
export class LogCursorConsumers {
  private readonly consumers = new Map<LogCursorConsumer, readonly string[]>();

  constructor(
    private readonly db: Db,
    private readonly deps: LogCursorDeps,
  ) {}

  async add(name: string, handler: DurableHandler, opts: DurableOptions = {}): Promise<DurableSubscription> {
    checkConsumerName(name);
    const consumer = new LogCursorConsumer(this.db, name, handler, opts, this.deps);
    await consumer.start();
    this.consumers.set(consumer, opts.bindings ?? ['#']);
    return {
      stop: async () => {
        this.consumers.delete(consumer);
        await consumer.stop();
      },
    };
  }

  /** A batch the node's tailer delivered: wake the consumers that want one of its events. */
  wakeFor(batch: readonly StoredEvent[]): void {
    if (this.consumers.size > 0) this.wake(distinctTypes(batch));
  }

  /** Events of these types were committed: wake the consumers that want one of them. */
  wake(types: readonly string[]): void {
    for (const [consumer, bindings] of this.consumers) {
      if (types.some((t) => bindings.some((b) => bindingMatches(b, t)))) consumer.poke();
    }
  }

  async stop(): Promise<void> {
    const all = [...this.consumers.keys()];
    this.consumers.clear();
    await Promise.all(all.map((c) => c.stop()));
  }
}

/** The event types in a batch, each once. */
export function distinctTypes(batch: readonly StoredEvent[]): string[] {
  const types = new Set<string>();
  for (const e of batch) types.add(e.envelope.type);
  return [...types];
}
