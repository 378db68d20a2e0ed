import type { StoredEvent } from '../bus/event-bus.js';

/** Recently emitted events kept for replays finishing (references to objects the bus made anyway). */
const KEEP = 5_000;

/**
 * How far this node has emitted the event log, the events it emitted last, and a way to wait for a position: replay
 * of a cursor a little ahead of this node (written on another node) is woken by the delivery that reaches it, not by
 * polling the database.
 */
export class BusProgress {
  private waiters: { id: number; resolve: () => void; timer: NodeJS.Timeout }[] = [];
  private recent: StoredEvent[] = [];
  /** Every event after this id that the node emitted is in `recent`. */
  private keptAfter: number;

  constructor(private at: number) {
    this.keptAfter = at;
  }

  get through(): number {
    return this.at;
  }

  /** The events emitted after `afterId`, in id order; null when some of them are no longer kept. */
  since(afterId: number): readonly StoredEvent[] | null {
    if (afterId < this.keptAfter) return null;
    if (afterId >= this.at) return [];
    // Ids are ascending: find the first one after `afterId`.
    let lo = 0;
    let hi = this.recent.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.recent[mid]!.envelope.id <= afterId) lo = mid + 1;
      else hi = mid;
    }
    return this.recent.slice(lo);
  }

  advance(batch: readonly StoredEvent[]): void {
    const last = batch.at(-1);
    if (!last || last.envelope.id <= this.at) return;
    for (const e of batch) this.recent.push(e);
    if (this.recent.length > 2 * KEEP) {
      const dropped = this.recent.length - KEEP;
      this.keptAfter = this.recent[dropped - 1]!.envelope.id;
      this.recent = this.recent.slice(dropped);
    }
    const id = last.envelope.id;
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
