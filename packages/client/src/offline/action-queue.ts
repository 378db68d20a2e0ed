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
import { ResultWriter } from './result-writer.js';

export interface ActionResult {
  action: QueuedAction;
  outcome: 'sent' | ConflictRule['outcome'];
  meanwhile: Meanwhile | null;
  rule: ConflictRule | null;
  booking: Booking | null;
}

/**
 * What this tab's queue changed in the outbox, so a view can follow it without reading the outbox again (a flush
 * changes it several times per action). `undefined` says "read it again": another tab's change, or the attention list.
 */
export interface OutboxChange {
  added?: readonly QueuedAction[];
  removed?: readonly number[];
  /** Rows (by seq) whose state is now `state`. */
  state?: { seqs: readonly number[]; state: QueuedAction['state'] };
}

export interface ActionQueueEvents {
  /** The outbox or the attention list changed (here or in another tab): what changed, or undefined for "re-read". */
  change: OutboxChange | undefined;
  /** One action was settled by this tab's flush. */
  settled: ActionResult;
  /** The actions settled together (one write): a screen applies them in one render. */
  settledBatch: readonly ActionResult[];
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

/** A sent action's answer, waiting to be written. */
interface SentResult {
  seq: number;
  booking: Booking | null;
  result: ActionResult;
}

/** Statuses that decide a refusal as final: the request reached the server, and repeating it cannot help. */
const FINAL = new Set([400, 403, 404, 409, 410, 422]);

/** Requests in flight at once during a flush: a browser opens at most six HTTP/1.1 connections to one origin. */
const FLUSH_CONCURRENCY = 6;

/**
 * The order the server's rules need, as segments of lanes: a lane is one booking's actions (or one notification's),
 * in the order taken; lanes of one segment are independent. Book and reschedule claim a slot, so each is a segment of
 * its own, after everything before it and before everything after it.
 */
export function segments(actions: readonly QueuedAction[]): QueuedAction[][][] {
  const out: QueuedAction[][][] = [];
  let lanes = new Map<string, QueuedAction[]>();
  const close = () => {
    if (lanes.size > 0) out.push([...lanes.values()]);
    lanes = new Map();
  };
  for (const a of actions) {
    if (a.kind === 'book' || a.kind === 'reschedule') {
      close();
      out.push([[a]]);
      continue;
    }
    const key = a.payload.kind === 'mark-read' ? `n:${a.payload.notificationId}` : `b:${a.bookingId}`;
    const lane = lanes.get(key);
    if (lane) lane.push(a);
    else lanes.set(key, [a]);
  }
  close();
  return out;
}

/**
 * The outbox: actions taken offline (or whose answer was lost), persisted in IndexedDB and sent in the order taken.
 * Exactly one tab flushes, under a Web Lock; the others see the same rows and hear about changes on a
 * BroadcastChannel. An action leaves the outbox in the same transaction that stores its result (sent, merged, or
 * moved to the attention list), so a crash mid-flush resends at most the actions in flight (or answered, not yet
 * stored), each with the same Idempotency-Key, which the server applies once.
 */
export class ActionQueue {
  private readonly emitter = new Emitter<ActionQueueEvents>();
  private readonly clock: Clock;
  private readonly channel: BroadcastChannel | null;
  private timer: TimerHandle | null = null;
  private readonly results = new ResultWriter<SentResult>(
    (batch) => this.writeResults(batch),
    (batch) => this.settled(batch.map((r) => r.result)),
  );
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
    this.changed({ added: [action] });
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
    this.changed(undefined);
  }

  /** Drops a waiting action the user took back (before it was sent). */
  async withdraw(seq: number): Promise<void> {
    await this.opts.db.outbox.delete(seq);
    this.changed({ removed: [seq] });
  }

  /**
   * Sends everything waiting, if no other tab is doing it. Order is kept where the server's rules depend on it:
   * actions on one booking go one after the other, and an action that claims a slot (book, reschedule) waits for
   * everything taken before it and holds back everything after it (a cancel before it may free its slot). Between
   * those barriers, different bookings are sent concurrently. A lane that cannot reach the server stops there, and
   * nothing queued behind its segment overtakes it; the queue retries after a back-off.
   */
  async flush(): Promise<FlushResult> {
    if (this.stopped) return 'done';
    this.cancelTimer();
    return this.withLock(async () => {
      for (;;) {
        if (this.stopped) return 'done';
        const rows = await this.opts.db.outbox.orderBy('seq').toArray();
        if (rows.length === 0) return 'done';
        for (const segment of segments(rows)) {
          if (this.stopped) return 'done';
          const wait = await this.sendSegment(segment);
          if (wait !== null) {
            this.schedule(wait);
            return 'waiting';
          }
        }
        // Actions taken during the flush (or re-sent on a newer version) go in the next round.
      }
    });
  }

  /** One segment's lanes, a few at a time; resolves with the back-off to wait, or null when every lane finished. */
  private async sendSegment(segment: QueuedAction[][]): Promise<number | null> {
    const { db } = this.opts;
    const seqs = segment.flat().map((a) => a.seq!);
    await db.outbox.bulkUpdate(seqs.map((key) => ({ key, changes: { state: 'syncing' as const } })));
    this.changed({ state: { seqs, state: 'syncing' } });
    let wait: number | null = null;
    const lanes = [...segment];
    // Answers being stored. A lane waits for its previous answer to be stored before it sends the booking's next
    // action; a worker that moves on to another booking does not wait (the segment's end does).
    const stored: Promise<void>[] = [];
    const worker = async () => {
      for (let lane = lanes.shift(); lane; lane = lanes.shift()) {
        let previous: Promise<void> | null = null;
        for (const action of lane) {
          if (this.stopped) return;
          await previous;
          const failed = await this.sendOne(action, (write) => {
            previous = write;
            stored.push(write);
          });
          if (failed !== null) {
            wait = Math.max(wait ?? 0, failed);
            // The rest of this lane waits behind the action that did not get through.
            const rest = lane.slice(lane.indexOf(action) + 1);
            if (rest.length > 0) {
              const seqs = rest.map((a) => a.seq!);
              await db.outbox.bulkUpdate(seqs.map((key) => ({ key, changes: { state: 'pending' as const } })));
              this.changed({ state: { seqs, state: 'pending' } });
            }
            break;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(FLUSH_CONCURRENCY, lanes.length) }, worker));
    await Promise.all(stored);
    return wait;
  }

  /** Cancels the retry timer and the channel; the rows stay for the next start. */
  stop(): void {
    this.stopped = true;
    this.cancelTimer();
    this.channel?.close();
  }

  /**
   * Sends one action (again, if the conflict table re-bases it); resolves with null once answered (the answer's write
   * handed to `storing`), or with the back-off.
   */
  private async sendOne(action: QueuedAction, storing: (write: Promise<void>) => void): Promise<number | null> {
    const { db } = this.opts;
    const seq = action.seq!;
    try {
      const booking = await this.opts.send(action);
      // Written with the other answers that arrive meanwhile, in one transaction: the row leaves the outbox
      // together with the booking it produced.
      storing(
        this.results.add({
          seq,
          booking,
          result: { action, outcome: 'sent', meanwhile: null, rule: null, booking },
        }),
      );
      return null;
    } catch (err) {
      if (err instanceof SlotcastApiError && FINAL.has(err.status)) {
        const rebased = await this.refused(action, err);
        if (!rebased) return null;
        return this.sendOne(rebased, storing);
      }
      // Not known to have reached the server (network, 5xx, 429, 401 while signing in again): resend the same
      // request, same key, later.
      const attempts = action.attempts + 1;
      await db.outbox.update(seq, { state: 'pending', attempts, lastError: String((err as Error)?.message ?? err) });
      this.changed({ state: { seqs: [seq], state: 'pending' } });
      return err instanceof SlotcastApiError && err.retryAfterMs !== null
        ? err.retryAfterMs
        : backoffDelay(attempts, { ...this.opts.backoff, random: this.opts.random });
    }
  }

  /** Settles a refused action by the conflict table; returns the action to send again when the table re-bases it. */
  private async refused(action: QueuedAction, err: SlotcastApiError): Promise<QueuedAction | null> {
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
      const rebased: QueuedAction = {
        ...action,
        expected: current,
        idempotencyKey: randomKey(),
        rebasedFrom: action.expected?.version ?? null,
        state: 'syncing',
      };
      await db.transaction('rw', [db.outbox, db.bookings], async () => {
        await db.outbox.put(rebased);
        await cache.putBooking(current);
      });
      return rebased;
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
    // A refusal adds to the attention list: views read it again.
    this.settled([{ action, outcome, meanwhile, rule: final, booking: current }], outcome === 'refused');
    return null;
  }

  /** Answers that arrived together: their rows leave the outbox and their bookings enter the cache at once. */
  private async writeResults(batch: readonly SentResult[]): Promise<void> {
    const { db, cache } = this.opts;
    const bookings = batch.flatMap((r) => (r.booking ? [r.booking] : []));
    await db.transaction('rw', [db.outbox, db.bookings], async () => {
      await db.outbox.bulkDelete(batch.map((r) => r.seq));
      await cache.putBookings(bookings);
    });
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

  private settled(results: readonly ActionResult[], reread = false): void {
    for (const r of results) this.emitter.emit('settled', r);
    this.emitter.emit('settledBatch', results);
    this.changed(reread ? undefined : { removed: results.map((r) => r.action.seq!) });
  }

  private changed(change?: OutboxChange): void {
    this.emitter.emit('change', change);
    this.channel?.postMessage('change');
  }
}

function webLocks(): LockManagerLike | null {
  const nav = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
  return nav?.locks ?? null;
}
