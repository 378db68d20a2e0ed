import type { ConfirmChannel } from 'amqplib';
import type { Logger } from 'pino';
import type { Db } from '../store/db.js';
import { EVENTS_CHANNEL, markPublished, type StoredEvent } from '../store/event-log.js';
import { readUnpublished } from '../store/outbox.js';
import type { AmqpChannel, AmqpConnection } from './amqp-connection.js';
import { sendConfirmed } from './amqp-send.js';
import { EVENTS_EXCHANGE, encodeEvent, routingKey } from './amqp-topology.js';
import type { BusMetrics } from './bus-metrics.js';
import { RelayLeadership } from './relay-leadership.js';
import { WakeLoop } from './wake-loop.js';

export interface OutboxRelayOptions {
  db: Db;
  databaseUrl: string;
  amqp: AmqpConnection;
  logger: Logger;
  metrics: BusMetrics;
  /** Safety net when a NOTIFY is lost. */
  pollMs?: number;
  lockRetryMs?: number;
  batchSize?: number;
  nodeId?: string;
}

/**
 * Publishes the event log's unpublished rows to RabbitMQ, in id order, and marks them published only after the
 * broker confirmed them: the log is the outbox, so a crash or a broker outage delays events but never loses them (a
 * crash between confirm and mark publishes a batch twice; consumers drop ids they have). One node at a time relays.
 */
export class OutboxRelay {
  private channel: ConfirmChannel | null = null;
  private amqpChannel: AmqpChannel | null = null;
  private readonly leadership: RelayLeadership;
  private readonly loop = new WakeLoop(
    () => this.drain(),
    (err) => {
      this.opts.metrics.count('relay_publish_failures');
      this.opts.logger.warn({ err }, 'outbox relay pass failed; the events stay in the outbox');
    },
  );
  private stopped = true;
  private timer: NodeJS.Timeout | null = null;
  private unlisten: (() => Promise<void>) | null = null;

  constructor(private readonly opts: OutboxRelayOptions) {
    this.leadership = new RelayLeadership(opts.databaseUrl, {
      retryMs: opts.lockRetryMs,
      applicationName: `slotcast-relay ${opts.nodeId ?? ''}`.trim().slice(0, 63),
      onChange: (leader) => {
        opts.logger.info({ leader }, leader ? 'this node is now the outbox relay' : 'this node stopped relaying');
        if (leader) {
          opts.metrics.count('relay_leadership_acquired');
          this.poke();
        }
      },
      onError: (err) => opts.logger.debug({ err }, 'relay lock check failed'),
    });
  }

  get isLeader(): boolean {
    return this.leadership.isLeader;
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.amqpChannel = this.opts.amqp.channel(async (ch) => {
      ch.on('close', () => {
        if (this.channel === ch) this.channel = null;
      });
      this.channel = ch;
      this.poke();
    });
    this.unlisten = await this.opts.db.listen(EVENTS_CHANNEL, () => this.poke());
    this.timer = setInterval(() => this.poke(), this.opts.pollMs ?? 1000);
    this.timer.unref();
    this.leadership.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.unlisten?.();
    await this.loop.idle();
    await this.amqpChannel?.close();
    await this.leadership.stop();
  }

  /** Asks for a relay pass soon; pokes during a pass collapse into one more pass. No-op unless this node leads. */
  poke(): void {
    if (this.stopped || !this.leadership.isLeader || !this.channel) return;
    this.loop.poke();
  }

  private async drain(): Promise<void> {
    const batchSize = this.opts.batchSize ?? 500;
    for (;;) {
      const ch = this.channel;
      if (!ch || this.stopped || !this.leadership.isLeader) return;
      const rows = await readUnpublished(this.opts.db, batchSize);
      if (rows.length === 0) return;
      await publishConfirmed(ch, rows);
      await markPublished(this.opts.db, rows.at(-1)!.event.envelope.id);
      this.opts.metrics.count('relay_published', rows.length);
      if (rows.length < batchSize) return;
    }
  }
}

async function publishConfirmed(ch: ConfirmChannel, rows: { prev: number; event: StoredEvent }[]): Promise<void> {
  await sendConfirmed(
    ch,
    rows.map(({ prev, event }) => {
      const { content, options } = encodeEvent(event, prev);
      return () => ch.publish(EVENTS_EXCHANGE, routingKey(event), content, options);
    }),
  );
}
