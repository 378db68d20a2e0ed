import type { Logger } from 'pino';
import type { Db } from '../store/db.js';
import { latestEventId, readAfter } from '../store/event-log.js';
import { initOffset, readOffset, writeOffset } from '../store/notifications-repo.js';
import type { BusMetrics } from './bus-metrics.js';
import {
  bindingMatches,
  checkConsumerName,
  DEFAULT_RETRY_DELAYS_MS,
  type DurableHandler,
  type DurableOptions,
  type DurableSubscription,
} from './durable.js';
import { LogTailer } from './log-tailer.js';
import type { BusCheck, NodeBus } from './node-bus.js';
import { WakeLoop } from './wake-loop.js';

/**
 * The single-node bus: the log tailer for realtime, and durable consumers that follow the log from an offset kept
 * in the database (so they resume where they stopped after a restart). One node only: several nodes without a
 * broker would each run every durable consumer.
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
    const consumer = new LogCursorConsumer(this.database, name, handler, opts, this.deps);
    await consumer.start();
    this.consumers.add(consumer);
    const unsubscribe = this.subscribe(() => consumer.poke());
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

/** Follows the log from its stored cursor; retries a failing event in place (order kept), then dead-letters it. */
class LogCursorConsumer {
  private readonly loop = new WakeLoop(
    () => this.drain(),
    (err) => this.deps.logger.warn({ err, consumer: this.name }, 'durable consumer pass failed; retrying'),
  );
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly labels: { consumer: string };
  /** Its row in consumer_offsets, apart from the log consumers' names. */
  private readonly offsetName: string;

  constructor(
    private readonly db: Db,
    private readonly name: string,
    private readonly handler: DurableHandler,
    private readonly opts: DurableOptions,
    private readonly deps: { logger: Logger; metrics: BusMetrics; pollMs?: number },
  ) {
    this.labels = { consumer: name };
    this.offsetName = `bus:${name}`;
  }

  async start(): Promise<void> {
    // A new consumer starts at the end of the log, as a new queue would.
    await initOffset(this.db, this.offsetName, await latestEventId(this.db));
    this.timer = setInterval(() => this.poke(), this.deps.pollMs ?? 1000);
    this.timer.unref();
    this.poke();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.loop.idle();
  }

  poke(): void {
    if (!this.stopped) this.loop.poke();
  }

  private async drain(): Promise<void> {
    const bindings = this.opts.bindings ?? ['#'];
    const delays = this.opts.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    for (;;) {
      const batch = await readAfter(this.db, (await readOffset(this.db, this.offsetName, false)) ?? 0, 100);
      if (batch.length === 0 || this.stopped) return;
      for (const event of batch) {
        if (this.stopped) return;
        if (bindings.some((b) => bindingMatches(b, event.envelope.type))) await this.handle(event, delays);
        await writeOffset(this.db, this.offsetName, event.envelope.id);
      }
    }
  }

  private async handle(event: Parameters<DurableHandler>[0], delays: number[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.handler(event, { attempt });
        this.deps.metrics.count('consumer_delivered', 1, this.labels);
        return;
      } catch (err) {
        if (attempt > delays.length || this.stopped) {
          await this.db.query(
            `INSERT INTO bus_dead_letters (consumer, event_id, attempts, error) VALUES ($1, $2, $3, $4)
             ON CONFLICT DO NOTHING`,
            [this.name, event.envelope.id, attempt, (err instanceof Error ? err.message : String(err)).slice(0, 500)],
          );
          this.deps.metrics.count('consumer_dead_lettered', 1, this.labels);
          this.deps.logger.error({ err, consumer: this.name, eventId: event.envelope.id }, 'durable consumer gave up');
          return;
        }
        this.deps.metrics.count('consumer_retried', 1, this.labels);
        const wait = delays[attempt - 1]!;
        for (let t = 0; t < wait && !this.stopped; t += 100) await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
}
