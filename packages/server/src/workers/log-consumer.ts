import { WakeLoop } from '../bus/wake-loop.js';
import type { Db, Queryable } from '../store/db.js';
import { latestEventId, readAfter, type StoredEvent } from '../store/event-log.js';
import { initOffset, readOffset, writeOffset } from '../store/notifications-repo.js';

export interface LogConsumerOptions {
  batchSize?: number;
  pollMs?: number;
  /** Where a consumer seen for the first time begins. */
  startAt?: 'latest' | 'beginning';
  onError?: (err: unknown) => void;
  /** After a batch committed (e.g. to wake the bus for events the handler appended). */
  afterCommit?: () => void;
}

/**
 * A durable worker over the event log: its position is a database row, advanced in the same transaction as the
 * work, so every event is handled once per commit and none is skipped across restarts. The row lock (SKIP LOCKED)
 * makes one node at a time the active consumer; the others find it locked and wait for the next wake-up.
 */
export class LogConsumer {
  private readonly loop = new WakeLoop(
    () => this.drain(),
    (err) => this.opts.onError?.(err),
  );
  private stopped = true;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    readonly name: string,
    private readonly handle: (tx: Queryable, events: StoredEvent[]) => Promise<void>,
    private readonly opts: LogConsumerOptions = {},
  ) {}

  async start(): Promise<void> {
    const start = this.opts.startAt === 'beginning' ? 0 : await latestEventId(this.db);
    await initOffset(this.db, this.name, start);
    this.stopped = false;
    this.timer = setInterval(() => this.poke(), this.opts.pollMs ?? 2000);
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
    const batchSize = this.opts.batchSize ?? 200;
    while (!this.stopped) {
      const handled = await this.db.transaction(async (tx) => {
        const offset = await readOffset(tx, this.name, true);
        if (offset === null) return 0; // another node holds it
        const events = await readAfter(tx, offset, batchSize);
        if (events.length === 0) return 0;
        await this.handle(tx, events);
        await writeOffset(tx, this.name, events.at(-1)!.envelope.id);
        return events.length;
      });
      if (handled > 0) this.opts.afterCommit?.();
      if (handled < batchSize) return;
    }
  }
}
