import amqp, { type AmqpConnectionManager, type ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel } from 'amqplib';
import type { Logger } from 'pino';
import { EVENTS_EXCHANGE } from './amqp-topology.js';
import { backoffDelay } from './backoff.js';
import type { BusMetrics } from './bus-metrics.js';

/** Runs on every fresh channel (each (re)connection): declares what the part needs and starts its consumers. */
export type ChannelSetup = (ch: ConfirmChannel) => Promise<void>;

export interface AmqpConnectionOptions {
  logger: Logger;
  metrics: BusMetrics;
  /** Shown in the broker's connection list. */
  name: string;
  /** Back-off between reconnection attempts (bus/backoff.ts, full jitter). */
  minDelayMs?: number;
  maxDelayMs?: number;
}

/** A part's channel; closing it hands its unacknowledged messages back to the broker. */
export interface AmqpChannel {
  close(): Promise<void>;
}

/**
 * One connection to RabbitMQ per node, kept up by amqp-connection-manager. Each part of the bus asks for a confirm
 * channel with a setup that recreates its queues and consumers on every new connection. A channel error or a failed
 * setup resets the whole connection, so every part starts again from one known state instead of each handling
 * half-broken channels (a part that cannot set itself up would silently miss events).
 */
export class AmqpConnection {
  private manager: AmqpConnectionManager | null = null;
  private readonly pending: { setup: ChannelSetup; bind: (w: ChannelWrapper) => void }[] = [];
  private stopped = true;
  private attempt = 0;
  private everConnected = false;
  /** When the connection was lost (or first tried), null while connected. */
  private downSince: number | null = Date.now();

  constructor(
    private readonly url: string,
    private readonly opts: AmqpConnectionOptions,
  ) {}

  get connected(): boolean {
    return this.manager?.isConnected() ?? false;
  }

  /** Milliseconds since the connection was lost; 0 while connected. */
  downForMs(): number {
    return this.downSince === null ? 0 : Date.now() - this.downSince;
  }

  /** A confirm channel whose `setup` runs now if connected, and on every reconnection. */
  channel(setup: ChannelSetup): AmqpChannel {
    let wrapper: ChannelWrapper | null = null;
    let closed = false;
    const entry = { setup, bind: (w: ChannelWrapper) => void (wrapper = w) };
    if (this.manager) entry.bind(this.open(setup, () => closed));
    else this.pending.push(entry);
    return {
      close: async () => {
        closed = true;
        const i = this.pending.indexOf(entry);
        if (i >= 0) this.pending.splice(i, 1);
        await wrapper?.close().catch(() => {});
      },
    };
  }

  start(): void {
    this.stopped = false;
    const manager = amqp.connect([this.url], {
      heartbeatIntervalInSeconds: 5,
      reconnectTimeInSeconds: this.nextDelaySeconds(),
      connectionOptions: { clientProperties: { connection_name: this.opts.name }, timeout: 5000 },
    });
    this.manager = manager;
    manager.on('connect', () => {
      this.attempt = 0;
      this.downSince = null;
      if (this.everConnected) this.opts.metrics.count('amqp_reconnects');
      this.everConnected = true;
      this.opts.logger.info('connected to RabbitMQ');
    });
    // The manager waits `reconnectTimeInSeconds` after each of these: set it to the next back-off step first.
    manager.on('disconnect', ({ err }) => {
      this.downSince ??= Date.now();
      this.failed(err);
    });
    manager.on('connectFailed', ({ err }) => this.failed(err));
    for (const entry of this.pending.splice(0)) entry.bind(this.open(entry.setup, () => false));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const manager = this.manager;
    this.manager = null;
    await manager?.close().catch(() => {});
  }

  /** Forces a reconnection, e.g. after a channel error. */
  reset(reason: unknown): void {
    const conn = this.manager?.connection;
    if (this.stopped || !conn) return;
    this.opts.logger.warn({ err: reason }, 'resetting the RabbitMQ connection');
    // Close the connection rather than calling the manager's reconnect(): its own close handler then reconnects with
    // the back-off, and a connection that is already going down is not left without one.
    void conn.close().catch(() => {});
  }

  private open(setup: ChannelSetup, closedByOwner: () => boolean): ChannelWrapper {
    const wrapper = this.manager!.createChannel({
      confirm: true,
      setup: async (ch: ConfirmChannel) => {
        // A channel error (the broker closed this channel alone) resets the connection; a channel closed with its
        // connection, or by its owner, needs nothing more.
        ch.on('error', (err: unknown) => {
          if (!closedByOwner()) this.reset(err);
        });
        try {
          await ch.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true });
          await setup(ch);
        } catch (err) {
          this.reset(err);
          throw err;
        }
      },
    });
    wrapper.on('error', (err) => this.opts.logger.debug({ err }, 'RabbitMQ channel setup failed'));
    return wrapper;
  }

  private failed(err: unknown): void {
    if (this.stopped || !this.manager) return;
    if (this.attempt === 0 || this.attempt % 10 === 0)
      this.opts.logger.warn({ err, attempt: this.attempt }, 'RabbitMQ unreachable; retrying');
    this.attempt++;
    this.manager.reconnectTimeInSeconds = this.nextDelaySeconds();
  }

  private nextDelaySeconds(): number {
    const ms = backoffDelay(this.attempt + 1, {
      baseMs: this.opts.minDelayMs ?? 200,
      capMs: this.opts.maxDelayMs ?? 5000,
    });
    return Math.max(50, ms) / 1000;
  }
}
