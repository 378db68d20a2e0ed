import { type BackoffOptions, backoffDelay } from './backoff.js';
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
