import type { Booking } from '@slotcast/protocol';
import type { ActionResult } from './action-queue.js';

/** A sent action's answer, waiting to be written. */
export interface SentResult {
  seq: number;
  booking: Booking | null;
  result: ActionResult;
}

/**
 * Coalesces the answers of concurrent sends into few IndexedDB transactions: the first answer is written at once,
 * and those arriving while a write runs go together in the next one. Each `add` resolves once its answer is stored,
 * so a lane never sends the next action of a booking before the previous answer is safe in the cache.
 */
export class ResultWriter {
  private queued: { item: SentResult; done: () => void; fail: (err: unknown) => void }[] = [];
  private running: Promise<void> | null = null;

  constructor(
    private readonly write: (batch: readonly SentResult[]) => Promise<void>,
    private readonly written: (batch: readonly SentResult[]) => void,
  ) {}

  add(item: SentResult): Promise<void> {
    return new Promise((done, fail) => {
      this.queued.push({ item, done, fail });
      this.running ??= this.run();
    });
  }

  /** Resolves when every answer added so far is written (or failed). */
  async drained(): Promise<void> {
    while (this.running) await this.running;
  }

  private async run(): Promise<void> {
    // Yield once, so answers resolved in the same tick join the first batch.
    await Promise.resolve();
    while (this.queued.length > 0) {
      const batch = this.queued.splice(0);
      const items = batch.map((b) => b.item);
      try {
        await this.write(items);
        this.written(items);
        for (const b of batch) b.done();
      } catch (err) {
        for (const b of batch) b.fail(err);
      }
    }
    this.running = null;
  }
}
