import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Db, Queryable } from '../store/db.js';
import { initOffset, insertDeadLetter, lockOffset, offsetLag, writeOffset } from '../store/durable-consumers.js';
import { latestEventId, takeBatch } from '../store/event-log.js';
import type { BusMetrics } from './bus-metrics.js';
import {
  bindingMatches,
  bindingTypePatterns,
  DEFAULT_BATCH_SIZE,
  DEFAULT_RETRY_DELAYS_MS,
  type DurableHandler,
  type DurableOptions,
  errorText,
} from './durable.js';
import { WakeLoop } from './wake-loop.js';

export interface LogCursorDeps {
  logger: Logger;
  metrics: BusMetrics;
  /** Safety net when no poke comes (another node committed, a NOTIFY was lost). */
  pollMs?: number;
  /** After a batch committed: the handler may have appended events (notifications) that the bus should carry now. */
  afterCommit?: () => void;
  /** Least time between the starts of two passes (DEFAULT_PASS_INTERVAL_MS); a backlog is still read batch after batch. */
  passIntervalMs?: number;
}

/**
 * The bus pokes a consumer on every commit. Without a pause a busy node runs one pass per commit per consumer, each a
 * transaction of five or more round trips, most of them reading one or two events; passes at most this often carry
 * every commit of the interval together. A worker's effects (a notification, a reminder job) come that much later,
 * which nobody sees; the node's sockets get the event loop and the pool back.
 */
export const DEFAULT_PASS_INTERVAL_MS = 50;

/**
 * The durable consumer without a broker: follows the event log from its position, a row of consumer_offsets. Each
 * batch runs in one transaction that locks the row (SKIP LOCKED), moves it past the batch and runs the handler; the
 * commit makes both durable together, so an event's database effects happen once however the node stops. With
 * several nodes on one database, whichever holds the row lock is the active consumer and the others skip.
 * Order is kept: a failing event is retried in place, and only after the last retry dead-lettered and passed.
 */
export class LogCursorConsumer {
  private readonly loop: WakeLoop;
  private readonly abort = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  private readonly labels: { consumer: string };
  private readonly bindings: string[];
  private readonly typePatterns: string[];
  private readonly batchSize: number;
  private readonly delays: number[];
  private readonly startAt: 'latest' | 'beginning';
  /** Events up to this id are taken one at a time: a batch containing them failed. */
  private isolateThrough = 0;
  private attempt = 1;

  constructor(
    private readonly db: Db,
    readonly name: string,
    private readonly handler: DurableHandler,
    opts: DurableOptions,
    private readonly deps: LogCursorDeps,
  ) {
    this.labels = { consumer: name };
    this.bindings = opts.bindings ?? ['#'];
    this.typePatterns = bindingTypePatterns(this.bindings) ?? ['%'];
    this.batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
    this.delays = opts.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.startAt = opts.startAt ?? 'latest';
    this.loop = new WakeLoop(
      () => this.drain(),
      (err) => this.deps.logger.warn({ err, consumer: this.name }, 'durable consumer pass failed; retrying'),
      deps.passIntervalMs ?? DEFAULT_PASS_INTERVAL_MS,
    );
  }

  async start(): Promise<void> {
    await initOffset(this.db, this.name, this.startAt === 'beginning' ? 0 : await latestEventId(this.db));
    this.timer = setInterval(() => {
      this.poke();
      void this.reportLag();
    }, this.deps.pollMs ?? 1000);
    this.timer.unref();
    this.poke();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    if (this.timer) clearInterval(this.timer);
    await this.loop.idle();
  }

  poke(): void {
    if (!this.stopped) this.loop.poke();
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async reportLag(): Promise<void> {
    if (!this.deps.metrics.lag) return;
    const lag = await offsetLag(this.db, this.name).catch(() => null);
    if (lag !== null) this.deps.metrics.lag(this.name, lag);
  }

  private async drain(): Promise<void> {
    while (!this.stopped) {
      const single = this.isolateThrough > 0;
      const limit = single ? 1 : this.batchSize;
      let read: { count: number; lastId: number };
      try {
        read = await this.db.transaction((tx) => this.pass(tx, limit));
      } catch (caught) {
        // The database failing is not the event's fault: the next poke or poll tries again, no attempt counted.
        if (!(caught instanceof HandlerFailed)) throw caught;
        const err = caught.cause;
        if (this.stopped) return;
        // From here on take the failed range one event at a time, so only the failing event waits and retries; a
        // batch of several is first re-run that way at once (the failing one is not known yet).
        this.isolateThrough = Math.max(this.isolateThrough, this.failedThrough);
        if (!single && (this.failedEvents > 1 || this.attempt > this.delays.length)) continue;
        if (this.attempt > this.delays.length) {
          await this.deadLetter(err);
          continue;
        }
        this.deps.metrics.count('consumer_retried', 1, this.labels);
        this.deps.logger.warn(
          { err, consumer: this.name, eventId: this.failedThrough, attempt: this.attempt },
          'durable consumer failed; will retry',
        );
        await sleep(this.delays[this.attempt - 1]!, undefined, { signal: this.abort.signal }).catch(() => {});
        this.attempt++;
        continue;
      }
      if (read.count === 0) return; // nothing new, or another node holds the position
      this.attempt = 1;
      if (read.lastId >= this.isolateThrough) this.isolateThrough = 0;
      this.deps.afterCommit?.();
      if (read.count < limit) return;
    }
  }

  /** The last id read, and how many events went to the handler, in the pass being run: for the failure path. */
  private failedThrough = 0;
  private failedEvents = 0;

  private async pass(tx: Queryable, limit: number): Promise<{ count: number; lastId: number }> {
    // The position is moved past the batch before the handler runs (one statement with the lock and the read): the
    // handler's last write may be appendEvents, whose lock should be held as briefly as possible. Only the types the
    // bindings may match are read (most of a busy log is other workers' notifications); the position still moves
    // past the rest.
    const { offset, events: read, through: lastId } = await takeBatch(tx, this.name, limit, this.typePatterns);
    if (offset === null) return { count: 0, lastId: 0 };
    if (lastId <= offset) return { count: 0, lastId: offset };
    this.failedThrough = lastId;
    const events = read.filter((e) => this.bindings.some((b) => bindingMatches(b, e.envelope.type)));
    this.failedEvents = events.length;
    if (events.length > 0) {
      try {
        await this.handler(events, { tx, attempt: this.attempt });
      } catch (err) {
        throw new HandlerFailed(err);
      }
      this.deps.metrics.count('consumer_delivered', events.length, this.labels);
    }
    return { count: read.length, lastId };
  }

  /** Records the event that failed its last retry and moves past it, in one transaction. */
  private async deadLetter(err: unknown): Promise<void> {
    const eventId = this.failedThrough;
    const moved = await this.db.transaction(async (tx) => {
      const offset = await lockOffset(tx, this.name);
      if (offset === null || offset >= eventId) return false;
      await insertDeadLetter(tx, { consumer: this.name, eventId, attempts: this.attempt, error: errorText(err) });
      await writeOffset(tx, this.name, eventId);
      return true;
    });
    if (moved) {
      this.deps.metrics.count('consumer_dead_lettered', 1, this.labels);
      this.deps.logger.error({ err, consumer: this.name, eventId }, 'durable consumer gave up on an event');
    }
    this.attempt = 1;
    if (eventId >= this.isolateThrough) this.isolateThrough = 0;
  }
}

class HandlerFailed extends Error {
  constructor(override readonly cause: unknown) {
    super('durable handler failed');
  }
}
