import type { Queryable } from '../store/db.js';
import { recordSends } from '../store/push-repo.js';

interface Pending {
  subscriptionId: string;
  outboxId: number;
  done: () => void;
  fail: (err: unknown) => void;
}

/**
 * Records accepted pushes in push_sends as a group commit: one insert in flight per node; pushes accepted while it
 * runs wait for the next, which takes them all. Each caller still resolves only once its own row is written, so the
 * window between a service's 201 and the record stays about one round trip, while a fan-out of thousands of pushes a
 * second costs a few dozen inserts a second instead of one per push (and one writer per node takes the subscriptions'
 * row locks in one order, never against itself).
 */
export class PushSendRecorder {
  private queue: Pending[] = [];
  private writing = false;

  constructor(
    private readonly db: Queryable,
    private readonly now: () => Date,
  ) {}

  record(subscriptionId: string, outboxId: number): Promise<void> {
    return new Promise((done, fail) => {
      this.queue.push({ subscriptionId, outboxId, done, fail });
      if (!this.writing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.writing = true;
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      const sends = batch
        .map(({ subscriptionId, outboxId }) => ({ subscriptionId, outboxId }))
        .sort((a, b) => (a.subscriptionId < b.subscriptionId ? -1 : a.subscriptionId > b.subscriptionId ? 1 : 0));
      try {
        await recordSends(this.db, sends, this.now());
        for (const p of batch) p.done();
      } catch (err) {
        for (const p of batch) p.fail(err);
      }
    }
    this.writing = false;
  }
}
