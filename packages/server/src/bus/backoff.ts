// The server's one back-off formula, the same as the SDK's (packages/client/src/backoff.ts): base·2^(attempt−1),
// capped, with full jitter where many parties retry against one service at once.

export interface BackoffOptions {
  /** Ceiling of the first retry's delay. */
  baseMs: number;
  /** Largest ceiling, however many attempts failed. */
  capMs: number;
  /** Uniform in [0, 1); injectable so tests are deterministic. */
  random?: () => number;
}

/** The upper bound of the delay before retry number `attempt` (1-based). */
export function backoffCeiling(attempt: number, opts: BackoffOptions): number {
  // Clamp the exponent: 2^1024 is Infinity, and base·Infinity with base 0 is NaN.
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  return Math.min(opts.capMs, opts.baseMs * 2 ** exponent);
}

/** Full jitter: uniform in [0, ceiling), so parties that failed together do not come back in one wave. */
export function backoffDelay(attempt: number, opts: BackoffOptions): number {
  return Math.floor((opts.random ?? Math.random)() * backoffCeiling(attempt, opts));
}

/** The ceilings of the first `retries` retries: a fixed schedule, for queues whose TTL is the wait. */
export function backoffSchedule(retries: number, opts: BackoffOptions): number[] {
  return Array.from({ length: retries }, (_, i) => backoffCeiling(i + 1, opts));
}
