import type { Logger } from 'pino';
import type { Db } from '../store/db.js';
import {
  claimDue,
  deferOutbox,
  markSent,
  type OutboxRow,
  renewClaims,
  type SendChannel,
} from '../store/deliveries-repo.js';

/** Told on commit by the outbox's insert trigger (migration 060), on every node. */
export const OUTBOX_CHANNEL = 'slotcast_outbox';

/** What became of each claimed message. Ids not named anywhere are given back for a retry after the back-off. */
export interface SendResult {
  sent: number[];
  /** Will never be taken (bad address, payload refused): ended, not retried. */
  failed: number[];
  /** Try again later; `afterSeconds` when the service said how long (Retry-After). */
  retry: { id: number; afterSeconds?: number }[];
}

/** One channel's way out: push to the user's devices, or one mail. */
export interface ChannelSender {
  readonly channel: SendChannel;
  send(rows: OutboxRow[]): Promise<SendResult>;
  close?(): Promise<void>;
}

export interface OutboxSenderOptions {
  db: Db;
  senders: ChannelSender[];
  logger: Logger;
  now?: () => Date;
  /** Messages claimed at once per channel. */
  batchSize?: number;
  /**
   * Passes in flight at once. A pass claims what is due and sends it; a message committed while one pass is still
   * sending starts another (SKIP LOCKED keeps their claims apart) instead of waiting behind it.
   */
  parallel?: number;
  leaseMs?: number;
  /**
   * While a claim is being sent, its lease is renewed this often (default a third of the lease), so a batch that
   * takes longer than the lease (a slow push service, a backlog) is not claimed and sent again by another pass or node.
   */
  renewEveryMs?: number;
  /** Waits before the 2nd, 3rd, ... try of a message; after the last, it is ended as failed. */
  retryDelaysMs: number[];
  /** The bounded sweep for what no notification announces (lease ran out, lost listener); 0: none (tests). */
  sweepMs: number;
}

/**
 * The one way push and email leave the system: claim due outbox rows of a channel (lease + SKIP LOCKED, so two nodes
 * never hold one row at once), send them, mark them sent. Woken by the outbox's NOTIFY (sent on commit by every node,
 * this one included, and by the digest job's inserts), by a retry's due time, and by a bounded sweep. A sender that
 * dies mid-send leaves its rows claimed until the lease ends; then any node sends them again, so each channel keys
 * the other side by the row id (push: a record per device and row; mail: the Message-ID).
 */
export class OutboxSender {
  private readonly now: () => Date;
  private readonly parallel: number;
  private readonly passes = new Set<Promise<void>>();
  private again = false;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly renewEveryMs: number;
  private sweep: ReturnType<typeof setInterval> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private retryAt = 0;
  private unlisten: (() => Promise<void>) | null = null;
  private stopped = false;

  constructor(private readonly o: OutboxSenderOptions) {
    this.now = o.now ?? (() => new Date());
    this.batchSize = o.batchSize ?? 200;
    this.leaseMs = o.leaseMs ?? 60_000;
    this.parallel = o.parallel ?? 4;
    this.renewEveryMs = o.renewEveryMs ?? this.leaseMs / 3;
  }

  async start(): Promise<void> {
    this.unlisten = await this.o.db.listen(OUTBOX_CHANNEL, () => this.poke());
    if (this.o.sweepMs > 0) {
      this.sweep = setInterval(() => this.poke(), this.o.sweepMs);
      this.sweep.unref();
    }
    this.poke();
  }

  /** Starts a pass, or (all passes busy) one more when the next ends: pokes meanwhile collapse into that one. */
  poke(): void {
    if (this.stopped) return;
    if (this.passes.size >= this.parallel) {
      this.again = true;
      return;
    }
    const pass: Promise<void> = this.drain()
      .catch((err) => this.o.logger.warn({ err }, 'outbox sender pass failed'))
      .finally(() => {
        this.passes.delete(pass);
        if (this.again) {
          this.again = false;
          this.poke();
        }
      });
    this.passes.add(pass);
  }

  /** Resolves once no pass is running. */
  private async idle(): Promise<void> {
    while (this.passes.size > 0) await Promise.all([...this.passes]);
  }

  /** One full pass now, resolved when done (tests drive the sender with their clock through this). */
  async runOnce(): Promise<void> {
    await this.idle();
    await this.drain();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweep) clearInterval(this.sweep);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.unlisten?.();
    await this.idle();
    await Promise.all(this.o.senders.map((s) => s.close?.()));
  }

  private async drain(): Promise<void> {
    await Promise.all(this.o.senders.map((s) => this.drainChannel(s)));
  }

  private async drainChannel(sender: ChannelSender): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const rows = await claimDue(this.o.db, sender.channel, this.now(), this.leaseMs, this.batchSize);
      if (rows.length === 0) return;
      const lease = this.holdLease(rows);
      let result: SendResult;
      try {
        result = await sender.send(rows);
      } catch (err) {
        // The whole channel is down (SMTP unreachable): every row waits for its back-off.
        this.o.logger.warn({ err, channel: sender.channel, rows: rows.length }, 'sending failed; retried later');
        result = { sent: [], failed: [], retry: [] };
      } finally {
        await lease.release();
      }
      await this.settle(rows, result);
      if (rows.length < this.batchSize) return;
    }
  }

  /**
   * Renews the claim's lease every `renewEveryMs` until released, one statement for the whole claim. Keyed by the lease
   * it holds: should a renewal come too late (this process stalled past the lease) and another sender claim a row, that
   * row is not renewed and stays the other's.
   */
  private holdLease(rows: OutboxRow[]): { release(): Promise<void> } {
    let until = rows[0]!.claimedUntil;
    let ids = rows.map((r) => r.id);
    let renewing: Promise<void> | null = null;
    const timer = setInterval(() => {
      if (renewing) return;
      const to = new Date(this.now().getTime() + this.leaseMs);
      renewing = renewClaims(this.o.db, ids, until, to)
        .then((kept) => {
          if (kept.length < ids.length)
            this.o.logger.warn(
              { lost: ids.length - kept.length },
              'outbox claim renewed too late; left to its new claimer',
            );
          ids = kept;
          until = to;
        })
        .catch((err) => this.o.logger.warn({ err }, 'outbox lease not renewed'))
        .finally(() => {
          renewing = null;
        });
    }, this.renewEveryMs);
    timer.unref();
    return {
      release: async () => {
        clearInterval(timer);
        await renewing;
      },
    };
  }

  private async settle(rows: OutboxRow[], result: SendResult): Promise<void> {
    const at = this.now();
    // A newer message of a booking is not claimed while an older one is out (deliveries-repo: claimDue); once that
    // one is done or deferred, claim again for it.
    let unblocked = await markSent(this.o.db, result.sent, at);
    const done = new Set([...result.sent, ...result.failed]);
    const asked = new Map(result.retry.map((r) => [r.id, r.afterSeconds]));
    const failed = [...result.failed];
    const later = new Map<number, number[]>();
    for (const row of rows) {
      if (done.has(row.id)) continue;
      const delay = this.o.retryDelaysMs[row.attempts - 1];
      if (delay === undefined) {
        failed.push(row.id);
        continue;
      }
      const wait = Math.max(delay, (asked.get(row.id) ?? 0) * 1000);
      later.set(wait, [...(later.get(wait) ?? []), row.id]);
    }
    if (failed.length) {
      this.o.logger.warn({ channel: rows[0]?.channel, ids: failed.slice(0, 20) }, 'outbox messages given up');
      if (await markSent(this.o.db, failed, at, 'failed')) unblocked = true;
    }
    for (const [wait, ids] of later) {
      if (await deferOutbox(this.o.db, ids, new Date(at.getTime() + wait))) unblocked = true;
      this.wakeIn(wait);
    }
    if (unblocked) this.poke();
  }

  /** A pass when the earliest deferred row is due (the sweep would find it too, later). */
  private wakeIn(ms: number): void {
    const at = Date.now() + ms;
    if (this.stopped || (this.retryTimer && this.retryAt <= at)) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryAt = at;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.poke();
    }, ms);
    this.retryTimer.unref();
  }
}
