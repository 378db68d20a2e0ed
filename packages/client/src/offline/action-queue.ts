import type { Booking } from '@slotcast/protocol';
import { backoffDelay } from '../backoff.js';
import { type Clock, systemClock, type TimerHandle } from '../clock.js';
import { Emitter } from '../emitter.js';
import { SlotcastApiError } from '../errors.js';
import { randomKey } from '../random-key.js';
import type { ActionSender, BookingReader } from './action-sender.js';
import { type ConflictRule, classifyMeanwhile, conflictRule, type Meanwhile } from './conflict-rules.js';
import type { OfflineCache } from './offline-cache.js';
import type { AttentionRow, OfflineDb } from './offline-db.js';
import type { QueuedAction, QueuedKind, QueuedPayload } from './queued-action.js';

export interface ActionResult {
  action: QueuedAction;
  outcome: 'sent' | ConflictRule['outcome'];
  meanwhile: Meanwhile | null;
  rule: ConflictRule | null;
  booking: Booking | null;
}

export interface ActionQueueEvents {
  /** The outbox or the attention list changed (here or in another tab). */
  change: undefined;
  /** One action was settled by this tab's flush. */
  settled: ActionResult;
}

/** The part of the Web Locks API the queue uses; absent (Node, old browsers), one tab-local lock stands in. */
export interface LockManagerLike {
  request<T>(name: string, opts: { ifAvailable: true }, cb: (lock: unknown) => Promise<T>): Promise<T>;
}

export interface ActionQueueOptions {
  db: OfflineDb;
  cache: OfflineCache;
  send: ActionSender;
  read: BookingReader;
  /** Names the lock and the broadcast channel: one per user. */
  userId: string;
  clock?: Clock;
  random?: () => number;
  locks?: LockManagerLike | null;
  backoff?: { baseMs?: number; capMs?: number };
}

export type FlushResult = 'done' | 'busy' | 'waiting';

/** Statuses that decide a refusal as final: the request reached the server, and repeating it cannot help. */
const FINAL = new Set([400, 403, 404, 409, 410, 422]);

/**
 * The outbox: actions taken offline (or whose answer was lost), persisted in IndexedDB and sent in the order taken.
 * Exactly one tab flushes, under a Web Lock; the others see the same rows and hear about changes on a
 * BroadcastChannel. An action leaves the outbox in the same transaction that stores its result (sent, merged, or
 * moved to the attention list), so a crash mid-flush resends at most the one action in flight, with the same
 * Idempotency-Key, which the server applies once.
 */
export class ActionQueue {
  private readonly emitter = new Emitter<ActionQueueEvents>();
  private readonly clock: Clock;
  private readonly channel: BroadcastChannel | null;
  private timer: TimerHandle | null = null;
  private localLock: Promise<unknown> | null = null;
  private stopped = false;

  constructor(private readonly opts: ActionQueueOptions) {
    this.clock = opts.clock ?? systemClock;
    this.channel =
      typeof BroadcastChannel === 'function' ? new BroadcastChannel(`slotcast-outbox:${opts.userId}`) : null;
    if (this.channel) this.channel.onmessage = () => this.emitter.emit('change', undefined);
  }

  on<K extends keyof ActionQueueEvents>(event: K, fn: (payload: ActionQueueEvents[K]) => void): () => void {
    return this.emitter.on(event, fn);
  }

  /** Stores an action; it shows as pending at once. Pass the key of an attempt whose answer was lost. */
  async enqueue(input: {
    payload: QueuedPayload;
    expected: Booking | null;
    idempotencyKey?: string;
  }): Promise<QueuedAction> {
    const action: QueuedAction = {
      kind: input.payload.kind as QueuedKind,
      payload: input.payload,
      bookingId: input.expected?.id ?? null,
      expected: input.expected,
      idempotencyKey: input.idempotencyKey ?? randomKey(),
      state: 'pending',
      attempts: 0,
      createdAt: this.clock.now(),
    };
    action.seq = await this.opts.db.outbox.add(action);
    this.changed();
    return action;
  }

  /** Waiting actions, in sending order. */
  pending(): Promise<QueuedAction[]> {
    return this.opts.db.outbox.orderBy('seq').toArray();
  }

  /** Refused actions the user has not dealt with yet. */
  attention(): Promise<AttentionRow[]> {
    return this.opts.db.attention.orderBy('seq').toArray();
  }

  async dismiss(seq: number): Promise<void> {
    await this.opts.db.attention.delete(seq);
    this.changed();
  }

  /** Drops a waiting action the user took back (before it was sent). */
  async withdraw(seq: number): Promise<void> {
    await this.opts.db.outbox.delete(seq);
    this.changed();
  }

  /**
   * Sends everything waiting, in order, if no other tab is doing it. Stops at the first action that could not reach
   * the server (order matters: a cancel must not overtake the confirm before it) and retries after a back-off.
   */
  async flush(): Promise<FlushResult> {
    if (this.stopped) return 'done';
    this.cancelTimer();
    return this.withLock(async () => {
      for (;;) {
        if (this.stopped) return 'done';
        const next = await this.opts.db.outbox.orderBy('seq').first();
        if (!next) return 'done';
        const ok = await this.sendOne(next);
        if (!ok) return 'waiting';
      }
    });
  }

  /** Cancels the retry timer and the channel; the rows stay for the next start. */
  stop(): void {
    this.stopped = true;
    this.cancelTimer();
    this.channel?.close();
  }

  private async sendOne(action: QueuedAction): Promise<boolean> {
    const { db, cache } = this.opts;
    const seq = action.seq!;
    await db.outbox.update(seq, { state: 'syncing' });
    this.changed();
    try {
      const booking = await this.opts.send(action);
      await db.transaction('rw', [db.outbox, db.bookings], async () => {
        await db.outbox.delete(seq);
        if (booking) await cache.putBooking(booking);
      });
      this.settled({ action, outcome: 'sent', meanwhile: null, rule: null, booking });
      return true;
    } catch (err) {
      if (err instanceof SlotcastApiError && FINAL.has(err.status)) return this.refused(action, err);
      // Not known to have reached the server (network, 5xx, 429, 401 while signing in again): resend the same
      // request, same key, later.
      const attempts = action.attempts + 1;
      await db.outbox.update(seq, { state: 'pending', attempts, lastError: String((err as Error)?.message ?? err) });
      this.changed();
      const wait =
        err instanceof SlotcastApiError && err.retryAfterMs !== null
          ? err.retryAfterMs
          : backoffDelay(attempts, { ...this.opts.backoff, random: this.opts.random });
      this.schedule(wait);
      return false;
    }
  }

  private async refused(action: QueuedAction, err: SlotcastApiError): Promise<boolean> {
    const { db, cache } = this.opts;
    const seq = action.seq!;
    let current: Booking | null = err.current ?? null;
    if (!current && action.bookingId && err.status !== 403 && err.status !== 404) {
      current = await this.opts.read(action.bookingId).catch(() => null);
    }
    const meanwhile = classifyMeanwhile(err.code, action.expected, current);
    const rule = conflictRule(action.kind, meanwhile);
    if (rule.outcome === 'applied' && current && action.rebasedFrom === undefined) {
      // Still makes sense on the state as it is now: one more try from the current version, under a new key (the
      // old key names a request with the old version). Only once: a second refusal goes to the user.
      await db.outbox.update(seq, {
        expected: current,
        idempotencyKey: randomKey(),
        rebasedFrom: action.expected?.version ?? null,
        state: 'pending',
      });
      if (current) await cache.putBooking(current);
      return true;
    }
    // An "applied" rule that cannot be applied (no current state, or refused again after one re-send) is refused.
    const final: ConflictRule =
      rule.outcome === 'applied' ? { outcome: 'refused', notice: 'changed-before', choices: ['dismiss'] } : rule;
    const outcome = final.outcome;
    await db.transaction('rw', [db.outbox, db.attention, db.bookings], async () => {
      await db.outbox.delete(seq);
      if (current) await cache.putBooking(current);
      if (outcome === 'refused') {
        const row: AttentionRow = {
          ...action,
          state: 'pending',
          refusedAt: this.clock.now(),
          current,
          reason: final.notice,
          meanwhile,
          choices: [...final.choices],
        };
        await db.attention.put(row);
      }
    });
    this.settled({ action, outcome, meanwhile, rule: final, booking: current });
    return true;
  }

  private async withLock(fn: () => Promise<FlushResult>): Promise<FlushResult> {
    const locks = this.opts.locks === undefined ? webLocks() : this.opts.locks;
    if (locks) {
      return locks.request(`slotcast-outbox:${this.opts.userId}`, { ifAvailable: true }, async (lock) =>
        lock ? fn() : 'busy',
      );
    }
    if (this.localLock) return 'busy';
    const run = fn();
    this.localLock = run;
    try {
      return await run;
    } finally {
      this.localLock = null;
    }
  }

  private schedule(ms: number): void {
    this.cancelTimer();
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, ms);
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private settled(result: ActionResult): void {
    this.emitter.emit('settled', result);
    this.changed();
  }

  private changed(): void {
    this.emitter.emit('change', undefined);
    this.channel?.postMessage('change');
  }
}

function webLocks(): LockManagerLike | null {
  const nav = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
  return nav?.locks ?? null;
}
