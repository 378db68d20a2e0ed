import type { Logger } from 'pino';
import type { Db } from '../store/db.js';
import type { BusMetrics } from './bus-metrics.js';
import {
  bindingMatches,
  checkConsumerName,
  type DurableHandler,
  type DurableOptions,
  type DurableSubscription,
} from './durable.js';
import { LogCursorConsumer } from './log-cursor-consumer.js';
import { LogTailer } from './log-tailer.js';
import type { BusCheck, NodeBus } from './node-bus.js';

/**
 * The bus without a broker: the log tailer for realtime, and durable consumers that follow the log from a position
 * kept in the database (bus/log-cursor-consumer.ts), so they resume where they stopped after a restart. Nodes sharing
 * one PostgreSQL database take turns per consumer (its position row is locked while a batch runs).
 */
export class EmbeddedBus extends LogTailer implements NodeBus {
  readonly kind = 'embedded' as const;
  private readonly consumers = new Set<LogCursorConsumer>();

  constructor(
    private readonly database: Db,
    private readonly deps: { logger: Logger; metrics: BusMetrics; pollMs?: number; openReader?: () => Promise<Db> },
  ) {
    super(database, {
      markPublished: true,
      pollMs: deps.pollMs,
      openReader: deps.openReader,
      onError: (err) => deps.logger.warn({ err }, 'event log read failed; retrying'),
    });
  }

  async subscribeDurable(
    name: string,
    handler: DurableHandler,
    opts: DurableOptions = {},
  ): Promise<DurableSubscription> {
    checkConsumerName(name);
    const consumer = new LogCursorConsumer(this.database, name, handler, opts, {
      ...this.deps,
      // A handler may append events (a notification): carry them now rather than at the next NOTIFY or poll.
      afterCommit: () => this.poke(),
    });
    await consumer.start();
    this.consumers.add(consumer);
    // Only an event the consumer wants wakes it (the notifications worker's own notification.created events are one
    // per booking change, and wanted by none of the four workers); the others are passed over by its next batch, or by
    // its poll when none comes.
    const bindings = opts.bindings ?? ['#'];
    const unsubscribe = this.subscribe((batch) => {
      if (batch.some((e) => bindings.some((b) => bindingMatches(b, e.envelope.type)))) consumer.poke();
    });
    return {
      stop: async () => {
        unsubscribe();
        this.consumers.delete(consumer);
        await consumer.stop();
      },
    };
  }

  readinessChecks(): BusCheck[] {
    return [];
  }

  override async stop(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.stop()));
    await super.stop();
  }
}
