import type { Logger } from 'pino';
import type { Db } from '../store/db.js';
import { AmqpConnection } from './amqp-connection.js';
import { consumeDurable } from './amqp-durable-consumer.js';
import type { BusMetrics } from './bus-metrics.js';
import type { DurableHandler, DurableOptions, DurableSubscription } from './durable.js';
import { LogCursorConsumers } from './log-cursor-consumers.js';
import type { NodeBus } from './node-bus.js';

/** What workers need of a bus (workers/node-workers.ts): durable subscriptions, and `poke` after committing events. */
export type WorkerBus = Pick<NodeBus, 'subscribeDurable' | 'poke'>;

/**
 * The bus of a node's workers thread (workers/workers-thread.ts): the same durable consumers as the node's own bus —
 * log-cursor consumers without a broker, RabbitMQ's named queues with one — but no realtime stream, no log tailer and
 * no outbox relay, which stay on the main thread with the sockets. Without a broker the main thread's tailer says
 * which event types it saw (`wake`), as the embedded bus's own tailer does for its consumers; the consumers' 1 s poll
 * is the safety net. `poke` (a handler committed events: notifications) goes to the main thread's bus, so they are
 * carried at once rather than at the next NOTIFY.
 */
export class WorkerThreadBus implements WorkerBus {
  private readonly consumers: LogCursorConsumers;
  private readonly subscriptions = new Set<DurableSubscription>();
  private readonly amqp: AmqpConnection | null;

  constructor(
    private readonly deps: {
      db: Db;
      /** RabbitMQ: the durable consumers share its named queues with the other nodes' workers. */
      amqpUrl?: string;
      /** The broker connection's name (RabbitMQ's management view shows it). */
      connectionName: string;
      logger: Logger;
      metrics: BusMetrics;
      /** A handler committed events: the node's bus should carry them now. */
      onCommitted: () => void;
    },
  ) {
    this.amqp = deps.amqpUrl
      ? new AmqpConnection(deps.amqpUrl, {
          logger: deps.logger.child({ component: 'amqp' }),
          metrics: deps.metrics,
          name: deps.connectionName,
        })
      : null;
    this.amqp?.start();
    this.consumers = new LogCursorConsumers(deps.db, {
      logger: deps.logger,
      metrics: deps.metrics,
      afterCommit: () => this.poke(),
    });
  }

  async subscribeDurable(
    name: string,
    handler: DurableHandler,
    opts: DurableOptions = {},
  ): Promise<DurableSubscription> {
    const { db, logger, metrics } = this.deps;
    if (this.amqp) {
      const sub = await consumeDurable({ amqp: this.amqp, db, logger, metrics }, name, handler, opts);
      this.subscriptions.add(sub);
      return {
        stop: async () => {
          this.subscriptions.delete(sub);
          await sub.stop();
        },
      };
    }
    return this.consumers.add(name, handler, opts);
  }

  /** The node's log tailer delivered events of these types: wake the consumers that want one of them. */
  wake(types: readonly string[]): void {
    this.consumers.wake(types);
  }

  poke(): void {
    this.deps.onCommitted();
  }

  async stop(): Promise<void> {
    await this.consumers.stop();
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.amqp?.stop();
  }
}
