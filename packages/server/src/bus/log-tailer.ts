import type { Db } from '../store/db.js';
import type { StoredEvent } from '../store/event-log.js';
import { EVENTS_CHANNEL, latestEventId, markPublished, readAfter } from '../store/event-log.js';
import type { EventBus } from './event-bus.js';
import { WakeLoop } from './wake-loop.js';

export interface LogTailerOptions {
  /** Safety net when a NOTIFY is lost (listener reconnecting, database restart). */
  pollMs?: number;
  batchSize?: number;
  /** Mark delivered rows as published (the embedded single-node setup has no separate relay). */
  markPublished?: boolean;
  onError?: (err: unknown) => void;
}

/**
 * The in-process bus: follows the event log from the id it starts at and hands each batch, in id order, to the
 * subscribers. Ids are assigned in commit order (see event-log.ts), so reading `id > cursor` never skips an event.
 * It wakes on a direct poke after a local commit, on NOTIFY from other writers, and on a poll timer.
 */
export class LogTailer implements EventBus {
  private cursor = 0;
  private handlers = new Set<(batch: StoredEvent[]) => void>();
  private readonly loop = new WakeLoop(
    () => this.drain(),
    (err) => this.opts.onError?.(err),
  );
  private timer: NodeJS.Timeout | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  private stopped = true;

  constructor(
    private readonly db: Db,
    private readonly opts: LogTailerOptions = {},
  ) {}

  get lastDeliveredId(): number {
    return this.cursor;
  }

  subscribe(handler: (batch: StoredEvent[]) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.cursor = await latestEventId(this.db);
    this.unlisten = await this.db.listen(EVENTS_CHANNEL, () => this.poke());
    this.timer = setInterval(() => this.poke(), this.opts.pollMs ?? 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.unlisten?.();
    // Let a read in flight finish, so nothing is delivered after stop() resolves.
    await this.loop.idle();
  }

  /** Ask for a read soon; many pokes while a read runs collapse into one more read. */
  poke(): void {
    if (!this.stopped) this.loop.poke();
  }

  private async drain(): Promise<void> {
    const batchSize = this.opts.batchSize ?? 500;
    for (;;) {
      const batch = await readAfter(this.db, this.cursor, batchSize);
      if (batch.length === 0 || this.stopped) return;
      this.cursor = batch.at(-1)!.envelope.id;
      for (const h of this.handlers) {
        try {
          h(batch);
        } catch (err) {
          this.opts.onError?.(err);
        }
      }
      if (this.opts.markPublished) await markPublished(this.db, this.cursor);
      if (batch.length < batchSize) return;
    }
  }
}
