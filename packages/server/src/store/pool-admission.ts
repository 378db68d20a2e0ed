import { SlotcastError } from '@slotcast/protocol';

export interface PoolAdmissionOptions {
  /** Connections in the pool. */
  size: number;
  /** Callers that may wait at once, whatever their expected wait: the bound on memory. */
  queueLimit: number;
  /** The longest expected wait for a connection a caller is admitted to, once `burst` callers wait. */
  maxWaitMs: number;
  /** Callers always admitted, whatever their expected wait: a burst is queued and served, not shed. */
  burst: number;
  now?: () => number;
}

export interface PoolLoad {
  /** Callers waiting for a connection now. */
  waiting: number;
  /** Whether a connection is free (or may still be opened) for the next caller. */
  free: boolean;
}

/**
 * Weight of each new checkout in the mean hold time: it follows a change in load within a few hundred checkouts (well
 * under a second at a busy node's rate), while one long checkout (a worker's batch, a GC pause) moves it little.
 */
const ALPHA = 0.02;
/** The shortest retry time a refusal names (Retry-After is in whole seconds). */
const MIN_RETRY_AFTER_MS = 1_000;

/**
 * Admission to the pool's queue, bounded by the wait a newcomer should expect rather than by a count alone. The queue
 * drains at `size` connections / the mean time a caller holds one, so a newcomer behind `waiting` others waits about
 * (waiting + 1) × hold / size. Past a burst's worth of waiting callers, one that would wait longer than `maxWaitMs` is
 * refused at once with SERVICE_UNAVAILABLE and a retry time of about when the queue will have drained, instead of
 * being served after its client gave up. Below `burst` everyone is queued: a burst (200 requests for one slot) is
 * served even on a slow machine where its tail waits longer than `maxWaitMs`; a queue that keeps growing past it is
 * overload, and shed. The hold time is measured on every checkout, so it follows the node's real capacity (a busy
 * machine, a hot lock).
 */
export class PoolAdmission {
  private holdMs = 0;
  private shedCount = 0;
  private readonly now: () => number;

  constructor(private readonly opts: PoolAdmissionOptions) {
    this.now = opts.now ?? (() => performance.now());
  }

  /** When a connection is checked out; the returned function records how long it was held. */
  checkedOut(): () => void {
    const from = this.now();
    return () => {
      const held = this.now() - from;
      this.holdMs = this.holdMs === 0 ? held : this.holdMs + ALPHA * (held - this.holdMs);
    };
  }

  /** The mean time a caller holds a connection, ms (0 before the first checkout ends). */
  get meanHoldMs(): number {
    return this.holdMs;
  }

  get shed(): number {
    return this.shedCount;
  }

  /** How long a caller arriving now should expect to wait for a connection, ms. */
  expectedWaitMs(load: PoolLoad): number {
    if (load.free && load.waiting === 0) return 0;
    return ((load.waiting + 1) * this.holdMs) / this.opts.size;
  }

  /** Whether the next caller would be refused. */
  saturated(load: PoolLoad): boolean {
    if (load.waiting >= this.opts.queueLimit) return true;
    return load.waiting >= this.opts.burst && this.expectedWaitMs(load) > this.opts.maxWaitMs;
  }

  /** Throws SERVICE_UNAVAILABLE with a retry time when the caller should not join the queue. */
  admit(load: PoolLoad): void {
    if (!this.saturated(load)) return;
    this.shedCount++;
    const drainMs = (load.waiting * this.holdMs) / this.opts.size;
    throw new SlotcastError('SERVICE_UNAVAILABLE', 'The server is at capacity; retry shortly', {
      retryAfterMs: Math.max(MIN_RETRY_AFTER_MS, Math.ceil(drainMs / 1000) * 1000),
    });
  }
}
