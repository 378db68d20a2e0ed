import amqp, { type ChannelModel } from 'amqplib';
import type { Logger } from 'pino';
import { EVENTS_EXCHANGE } from './amqp-topology.js';
import type { BusMetrics } from './bus-metrics.js';

/** Runs on every (re)connection; creates the caller's channels and consumers on the fresh connection. */
export type ConnectionSetup = (conn: ChannelModel) => Promise<void>;

export interface AmqpConnectionOptions {
  logger: Logger;
  metrics: BusMetrics;
  /** Shown in the broker's connection list. */
  name: string;
  minDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * One connection to RabbitMQ per node, re-established with back-off whenever it drops. Parts of the bus register a
 * setup that recreates their channels on each new connection. Any channel error closes the whole connection, so
 * every part starts again from one known state instead of each handling half-broken channels.
 */
export class AmqpConnection {
  private conn: ChannelModel | null = null;
  private readonly setups: ConnectionSetup[] = [];
  private stopped = true;
  private timer: NodeJS.Timeout | null = null;
  private attempt = 0;
  private everConnected = false;
  /** When the connection was lost (or first tried), null while connected. */
  private downSince: number | null = Date.now();

  constructor(
    private readonly url: string,
    private readonly opts: AmqpConnectionOptions,
  ) {}

  get connected(): boolean {
    return this.conn !== null;
  }

  /** Milliseconds since the connection was lost; 0 while connected. */
  downForMs(): number {
    return this.downSince === null ? 0 : Date.now() - this.downSince;
  }

  /** Registers a setup; it runs now if connected, and on every reconnection. */
  async onConnect(setup: ConnectionSetup): Promise<void> {
    this.setups.push(setup);
    // A failure resets the connection, and the setup runs again on the next one.
    if (this.conn) await this.runSetup(this.conn, setup).catch(() => {});
  }

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const conn = this.conn;
    this.conn = null;
    await conn?.close().catch(() => {});
  }

  /** Forces a reconnection, e.g. after a channel error. */
  reset(reason: unknown): void {
    const conn = this.conn;
    if (!conn) return;
    this.opts.logger.warn({ err: reason }, 'resetting the RabbitMQ connection');
    void conn.close().catch(() => {});
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    let conn: ChannelModel;
    try {
      conn = await amqp.connect(this.url, { clientProperties: { connection_name: this.opts.name }, timeout: 5000 });
    } catch (err) {
      this.scheduleReconnect(err);
      return;
    }
    if (this.stopped) {
      await conn.close().catch(() => {});
      return;
    }
    conn.on('error', () => {}); // 'close' follows; handled there.
    conn.on('close', () => {
      if (this.conn !== conn) return;
      this.conn = null;
      this.downSince = Date.now();
      this.scheduleReconnect(new Error('connection closed'));
    });
    try {
      const ch = await conn.createChannel();
      await ch.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true });
      await ch.close();
      this.conn = conn;
      // A snapshot: a setup registered meanwhile runs from onConnect, since this.conn is set.
      for (const setup of [...this.setups]) await this.runSetup(conn, setup);
    } catch (err) {
      this.conn = null;
      await conn.close().catch(() => {});
      this.scheduleReconnect(err);
      return;
    }
    if (this.conn !== conn) return;
    this.attempt = 0;
    this.downSince = null;
    if (this.everConnected) this.opts.metrics.count('amqp_reconnects');
    this.everConnected = true;
    this.opts.logger.info('connected to RabbitMQ');
  }

  private async runSetup(conn: ChannelModel, setup: ConnectionSetup): Promise<void> {
    try {
      await setup(conn);
    } catch (err) {
      // A part that cannot set itself up would silently miss events: start over on a new connection.
      this.reset(err);
      throw err;
    }
  }

  private scheduleReconnect(err: unknown): void {
    if (this.stopped || this.timer) return;
    const min = this.opts.minDelayMs ?? 200;
    const max = this.opts.maxDelayMs ?? 5000;
    const delay = Math.min(max, min * 2 ** this.attempt) * (0.8 + Math.random() * 0.4);
    if (this.attempt === 0 || this.attempt % 10 === 0)
      this.opts.logger.warn(
        { err, attempt: this.attempt, delayMs: Math.round(delay) },
        'RabbitMQ unreachable; retrying',
      );
    this.attempt++;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, delay);
    this.timer.unref();
  }
}
