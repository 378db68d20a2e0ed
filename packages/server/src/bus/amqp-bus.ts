import type { Logger } from 'pino';
import type { Db } from '../store/db.js';
import { latestEventId, readAfter, type StoredEvent } from '../store/event-log.js';
import { type AmqpChannel, AmqpConnection } from './amqp-connection.js';
import { consumeDurable } from './amqp-durable-consumer.js';
import { decodeEvent, EVENTS_EXCHANGE, nodeQueue } from './amqp-topology.js';
import type { BusMetrics } from './bus-metrics.js';
import type { DurableHandler, DurableOptions, DurableSubscription } from './durable.js';
import type { BusCheck, NodeBus } from './node-bus.js';
import { OrderedDelivery } from './ordered-delivery.js';
import { OutboxRelay } from './outbox-relay.js';

export interface AmqpBusOptions {
  db: Db;
  /** The relay's lock needs a session of its own, so a connection string rather than the pool. */
  databaseUrl: string;
  amqpUrl: string;
  nodeId: string;
  logger: Logger;
  metrics: BusMetrics;
  /** How often the relay looks at the outbox without a NOTIFY. */
  relayPollMs?: number;
  /** How often a follower tries to become the relay. */
  relayLockRetryMs?: number;
  /**
   * How often the node compares its deliveries with the log: an event committed one check ago and still not
   * delivered (its message lost) is read from the log. While the broker is unreachable the node reads the log four
   * times as often and without waiting for messages, so its sockets stay under a second behind.
   */
  gapCheckMs?: number;
  /** Readiness fails once the broker has been unreachable this long (short outages are ridden out). */
  readinessGraceMs?: number;
}

/**
 * The scale-out bus: one relay across the cluster publishes the outbox to RabbitMQ; each node consumes every event
 * from a queue of its own for its sockets, and durable consumers share named queues. The node's realtime stream
 * keeps the EventBus contract (id order, no gaps, no repeats) whatever the broker does, by falling back to the log.
 */
export class AmqpBus implements NodeBus {
  readonly kind = 'amqp' as const;
  private readonly conn: AmqpConnection;
  private readonly relay: OutboxRelay;
  private readonly handlers = new Set<(batch: StoredEvent[]) => void>();
  private delivery: OrderedDelivery | null = null;
  private readonly subscriptions = new Set<DurableSubscription>();
  private gapTimer: NodeJS.Timeout | null = null;
  private nodeChannel: AmqpChannel | null = null;
  private seenLatest = 0;
  private ticks = 0;
  private checking = false;

  constructor(private readonly opts: AmqpBusOptions) {
    this.conn = new AmqpConnection(opts.amqpUrl, {
      logger: opts.logger.child({ component: 'amqp' }),
      metrics: opts.metrics,
      name: `slotcast ${opts.nodeId}`,
    });
    this.relay = new OutboxRelay({
      db: opts.db,
      databaseUrl: opts.databaseUrl,
      amqp: this.conn,
      logger: opts.logger.child({ component: 'relay' }),
      metrics: opts.metrics,
      pollMs: opts.relayPollMs,
      lockRetryMs: opts.relayLockRetryMs,
      nodeId: opts.nodeId,
    });
  }

  get lastDeliveredId(): number {
    return this.delivery?.lastDeliveredId ?? 0;
  }

  get isRelay(): boolean {
    return this.relay.isLeader;
  }

  subscribe(handler: (batch: StoredEvent[]) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async start(): Promise<void> {
    const { db, metrics, logger } = this.opts;
    const labels = { consumer: 'realtime' };
    const start = await latestEventId(db);
    this.seenLatest = start;
    const delivery = new OrderedDelivery(start, {
      // Every event, private ones included: the gateway decides who gets what.
      readRange: async (after, through, limit) =>
        (await readAfter(db, after, limit)).filter((e) => e.envelope.id <= through),
      deliver: (batch) => {
        metrics.count('consumer_delivered', batch.length, labels);
        for (const h of this.handlers) {
          try {
            h(batch);
          } catch (err) {
            logger.warn({ err }, 'bus subscriber failed');
          }
        }
      },
      onDuplicates: (n) => metrics.count('consumer_duplicates', n, labels),
      onGapFilled: (n) => metrics.count('consumer_gap_filled', n, labels),
      onError: (err) => logger.warn({ err }, 'reading the event log to fill a gap failed; retrying'),
    });
    this.delivery = delivery;

    this.nodeChannel = this.conn.channel(async (ch) => {
      const queue = nodeQueue(this.opts.nodeId);
      // Not durable: the node's sockets die with it. It outlives a short disconnect (x-expires) so a blip loses
      // nothing, and is bounded, dropping the oldest: anything dropped is read from the log as a gap.
      await ch.assertQueue(queue, {
        durable: false,
        arguments: { 'x-expires': 60_000, 'x-max-length': 100_000 },
      });
      await ch.bindQueue(queue, EVENTS_EXCHANGE, '#');
      await ch.consume(
        queue,
        (msg) => {
          if (!msg) return;
          try {
            delivery.push(decodeEvent(msg));
          } catch (err) {
            logger.warn({ err }, 'dropped a message that is not a Slotcast event');
          }
        },
        { noAck: true },
      );
      // Whatever was published while this node had no queue is in the log; later messages chain on from it.
      delivery.catchUp(await latestEventId(db).catch(() => 0));
    });
    this.conn.start();
    await this.relay.start();

    this.gapTimer = setInterval(() => void this.checkGap(), (this.opts.gapCheckMs ?? 2000) / 4);
    this.gapTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.gapTimer) clearInterval(this.gapTimer);
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.relay.stop();
    await this.delivery?.stop();
    await this.nodeChannel?.close();
    await this.conn.stop();
  }

  /** A local commit: the relay, if it is this node, publishes at once instead of waiting for the NOTIFY. */
  poke(): void {
    this.relay.poke();
  }

  async subscribeDurable(name: string, handler: DurableHandler, opts?: DurableOptions): Promise<DurableSubscription> {
    const sub = await consumeDurable(
      { amqp: this.conn, db: this.opts.db, logger: this.opts.logger, metrics: this.opts.metrics },
      name,
      handler,
      opts,
    );
    this.subscriptions.add(sub);
    return {
      stop: async () => {
        this.subscriptions.delete(sub);
        await sub.stop();
      },
    };
  }

  readinessChecks(): BusCheck[] {
    const grace = this.opts.readinessGraceMs ?? 15_000;
    return [
      {
        name: 'rabbitmq',
        check: async () => {
          // The log covers a short outage (events arrive late, none are lost); a long one means this node is cut off.
          if (this.conn.downForMs() > grace)
            throw new Error(`unreachable for ${Math.round(this.conn.downForMs() / 1000)} s`);
        },
      },
    ];
  }

  private async checkGap(): Promise<void> {
    if (this.checking || !this.delivery) return;
    const brokerDown = !this.conn.connected;
    if (!brokerDown && ++this.ticks % 4 !== 0) return;
    this.checking = true;
    try {
      if (brokerDown) {
        // No message can come: take what the log has.
        this.delivery.catchUp(await latestEventId(this.opts.db));
      } else if (this.seenLatest > this.delivery.lastDeliveredId) {
        // Only events committed a whole check ago: fresh ones are normally still on their way through the broker.
        this.delivery.catchUp(this.seenLatest);
      }
      this.seenLatest = await latestEventId(this.opts.db);
    } catch {
      // Database away: the next check tries again.
    } finally {
      this.checking = false;
    }
  }
}
