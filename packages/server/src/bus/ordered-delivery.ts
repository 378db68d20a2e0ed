import type { StoredEvent } from '../store/event-log.js';
import type { BusMessage } from './amqp-topology.js';

export interface OrderedDeliveryDeps {
  /** Committed events with `afterId < id <= throughId`, in id order, at most `limit` (the event log). */
  readRange(afterId: number, throughId: number, limit: number): Promise<StoredEvent[]>;
  deliver(batch: StoredEvent[]): void;
  onDuplicates?(n: number): void;
  onGapFilled?(n: number): void;
  onError?(err: unknown): void;
  /** Back-off between failed log reads. */
  retryMs?: number;
}

type Item = { kind: 'message'; msg: BusMessage } | { kind: 'catch-up'; throughId: number };

const PAGE = 1000;

/**
 * Turns broker messages, which may arrive twice, late or not at all, into the EventBus contract: every committed
 * event exactly once, in id order, with no gaps. A message whose `prev` this node already has is handed on as is;
 * otherwise the events up to it are read from the event log first (ids have holes from rolled-back transactions, so
 * only the log can tell a hole from a lost message). Older ids are dropped.
 */
export class OrderedDelivery {
  private delivered: number;
  private readonly queue: Item[] = [];
  private running = false;
  private stopped = false;

  constructor(
    startAfter: number,
    private readonly deps: OrderedDeliveryDeps,
  ) {
    this.delivered = startAfter;
  }

  get lastDeliveredId(): number {
    return this.delivered;
  }

  /** Whether messages are waiting (behind a log read). */
  get pending(): number {
    return this.queue.length;
  }

  push(msg: BusMessage): void {
    this.enqueue({ kind: 'message', msg });
  }

  /** Delivers everything committed up to `throughId` from the log, if the messages have not brought it by now. */
  catchUp(throughId: number): void {
    if (throughId > this.delivered) this.enqueue({ kind: 'catch-up', throughId });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    while (this.running) await new Promise((r) => setTimeout(r, 5));
  }

  private enqueue(item: Item): void {
    if (this.stopped) return;
    this.queue.push(item);
    if (!this.running) {
      this.running = true;
      void this.drain();
    }
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0 && !this.stopped) {
        // Hand on, as one batch, the run of messages that follow what was delivered.
        const batch: StoredEvent[] = [];
        let duplicates = 0;
        let gapTo = 0;
        while (this.queue.length > 0) {
          const item = this.queue[0]!;
          const target = item.kind === 'message' ? item.msg.event.envelope.id : item.throughId;
          if (target <= this.delivered) {
            if (item.kind === 'message') duplicates++;
            this.queue.shift();
            continue;
          }
          if (item.kind === 'message' && item.msg.prev !== null && item.msg.prev <= this.delivered) {
            batch.push(item.msg.event);
            this.delivered = target;
            this.queue.shift();
            continue;
          }
          gapTo = target;
          break;
        }
        if (duplicates) this.deps.onDuplicates?.(duplicates);
        if (batch.length) this.safeDeliver(batch);
        if (gapTo) await this.fill(gapTo);
      }
    } finally {
      this.running = false;
      // An item may have been queued between the loop's last check and here.
      if (this.queue.length > 0 && !this.stopped) {
        this.running = true;
        void this.drain();
      }
    }
  }

  /** Reads (delivered, throughId] from the log and delivers it; retries until the log answers or stop(). */
  private async fill(throughId: number): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        for (;;) {
          const rows = await this.deps.readRange(this.delivered, throughId, PAGE);
          if (this.stopped) return;
          if (rows.length) {
            this.deps.onGapFilled?.(rows.length);
            this.safeDeliver(rows);
          }
          // A short page means the log has nothing else up to throughId: the rest are holes.
          this.delivered = rows.length === PAGE ? rows.at(-1)!.envelope.id : throughId;
          if (this.delivered >= throughId) return;
        }
      } catch (err) {
        this.deps.onError?.(err);
        const wait = Math.min(5000, (this.deps.retryMs ?? 250) * 2 ** Math.min(attempt, 5));
        for (let t = 0; t < wait && !this.stopped; t += 100) await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  private safeDeliver(batch: StoredEvent[]): void {
    try {
      this.deps.deliver(batch);
    } catch (err) {
      this.deps.onError?.(err);
    }
  }
}
