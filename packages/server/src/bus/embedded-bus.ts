import type { Logger } from 'pino';
import type { Db } from '../store/db.js';
import type { BusMetrics } from './bus-metrics.js';
import type { DurableHandler, DurableOptions, DurableSubscription } from './durable.js';
import { LogCursorConsumers } from './log-cursor-consumers.js';
import { LogTailer } from './log-tailer.js';
import type { BusCheck, NodeBus } from './node-bus.js';

/**
 * The bus without a broker: the log tailer for realtime, and durable consumers that follow the log from a position
 * kept in the database (bus/log-cursor-consumer.ts), so they resume where they stopped after a restart. Nodes sharing
 * one PostgreSQL database take turns per consumer (its position row is locked while a batch runs).
 */
export class EmbeddedBus extends LogTailer implements NodeBus {
  readonly kind = 'embedded' as const;
  private readonly consumers: LogCursorConsumers;

  constructor(
    database: Db,
    deps: { logger: Logger; metrics: BusMetrics; pollMs?: number; openReader?: () => Promise<Db> },
  ) {
    super(database, {
      markPublished: true,
      pollMs: deps.pollMs,
      openReader: deps.openReader,
      onError: (err) => deps.logger.warn({ err }, 'event log read failed; retrying'),
    });
    this.consumers = new LogCursorConsumers(database, {
      ...deps,
      // A handler may append events (a notification): carry them now rather than at the next NOTIFY or poll.
      afterCommit: () => this.poke(),
    });
    this.subscribe((batch) => this.consumers.wakeFor(batch));
  }

  subscribeDurable(name: string, handler: DurableHandler, opts: DurableOptions = {}): Promise<DurableSubscription> {
    return this.consumers.add(name, handler, opts);
  }

  readinessChecks(): BusCheck[] {
    return [];
  }

  override async stop(): Promise<void> {
    await this.consumers.stop();
    await super.stop();
  }
}
