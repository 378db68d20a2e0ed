import { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
import type { Clock, TimerHandle } from './clock.js';

export interface ReconnectSchedulerOptions extends BackoffOptions {
  clock: Clock;
  /** Failures in a row after which retries pause (default unlimited). */
  maxAttempts?: number;
}

/** Counts failed attempts and runs the next one after a jittered backoff; one pending retry at a time. */
export class ReconnectScheduler {
  private failures = 0;
  private timer: TimerHandle | null = null;

  constructor(private opts: ReconnectSchedulerOptions) {}

  /** New spacing for the attempts still to come (the one already scheduled keeps its time); the count is kept. */
  setBackoff(backoff: Pick<BackoffOptions, 'baseMs' | 'capMs'>): void {
    this.opts = { ...this.opts, ...backoff };
  }

  /** The cap the next delays are drawn under. */
  get capMs(): number | undefined {
    return this.opts.capMs;
  }

  /** Consecutive failures since the last success. */
  get attempt(): number {
    return this.failures;
  }

  get paused(): boolean {
    return this.failures >= (this.opts.maxAttempts ?? Number.POSITIVE_INFINITY);
  }

  /**
   * The wait before coming back from a drain that names when (`reconnectInMs`, else 1 s): spread over one more such
   * window so clients do not arrive at once, never past the cap. Not a failure: the count is kept.
   */
  drainDelay(reconnectInMs: number | undefined): number {
    const base = reconnectInMs !== undefined && reconnectInMs > 0 ? reconnectInMs : 1_000;
    return Math.min(
      Math.floor(base * (1 + (this.opts.random ?? Math.random)())),
      this.opts.capMs ?? DEFAULT_BACKOFF.capMs,
    );
  }

  /** Counts one more failure; the backoff delay before the next attempt, or null when retries are now paused. */
  failed(minDelayMs = 0): number | null {
    if (this.paused) return null;
    this.failures++;
    return Math.max(minDelayMs, backoffDelay(this.failures, this.opts));
  }

  /** After a success, or to resume paused retries. */
  reset(): void {
    this.failures = 0;
  }

  /** Runs `fn` after `delayMs` (replacing any pending run); returns when it will run (epoch ms). */
  runAfter(delayMs: number, fn: () => void): number {
    this.cancel();
    this.timer = this.opts.clock.setTimeout(() => {
      this.timer = null;
      fn();
    }, delayMs);
    return this.opts.clock.now() + delayMs;
  }

  cancel(): void {
    if (this.timer !== null) this.opts.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}
