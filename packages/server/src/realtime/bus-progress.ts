/**
 * How far this node has emitted the event log, and a way to wait for a position: replay of a cursor a little ahead of
 * this node (written on another node) is woken by the delivery that reaches it, not by polling the database.
 */
export class BusProgress {
  private waiters: { id: number; resolve: () => void; timer: NodeJS.Timeout }[] = [];

  constructor(private at: number) {}

  get through(): number {
    return this.at;
  }

  advance(id: number): void {
    if (id <= this.at) return;
    this.at = id;
    if (this.waiters.length === 0) return;
    const still: typeof this.waiters = [];
    for (const w of this.waiters) {
      if (w.id <= id) {
        clearTimeout(w.timer);
        w.resolve();
      } else still.push(w);
    }
    this.waiters = still;
  }

  /** Resolves once `id` is emitted, or after `timeoutMs` (the caller checks `through` again). */
  reached(id: number, timeoutMs: number): Promise<void> {
    if (id <= this.at) return Promise.resolve();
    return new Promise((resolve) => {
      const w = {
        id,
        resolve,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((x) => x !== w);
          resolve();
        }, timeoutMs).unref(),
      };
      this.waiters.push(w);
    });
  }

  /** Releases every waiter (shutdown). */
  close(): void {
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.resolve();
    }
    this.waiters = [];
  }
}
