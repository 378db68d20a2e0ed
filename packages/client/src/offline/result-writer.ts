/**
 * Coalesces the answers of concurrent sends into few IndexedDB transactions: the first answer is written at once,
 * and those arriving while a write runs go together in the next one. Each `add` resolves once its answer is stored,
 * so a lane can wait for it before it sends the booking's next action.
 */
export class ResultWriter<T> {
  private queued: { item: T; done: () => void; fail: (err: unknown) => void }[] = [];
  private running: Promise<void> | null = null;

  constructor(
    private readonly write: (batch: readonly T[]) => Promise<void>,
    private readonly written: (batch: readonly T[]) => void,
  ) {}

  add(item: T): Promise<void> {
    return new Promise((done, fail) => {
      this.queued.push({ item, done, fail });
      this.running ??= this.run();
    });
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
