import { performance } from 'node:perf_hooks';

/** How one operation ended. A conflict is an expected refusal (409), counted apart from errors. */
export type Outcome = 'ok' | 'conflict';

export interface ClosedLoopOptions {
  /** Operations in flight at any moment. */
  concurrency: number;
  /** Operations to start at most. */
  count: number;
  /** No operation starts after this many milliseconds; those in flight finish. */
  maxMs: number;
  signal?: AbortSignal;
}

export interface ClosedLoopResult {
  /** Latency of each successful operation, in completion order. */
  latenciesMs: number[];
  elapsedMs: number;
  ok: number;
  conflicts: number;
  errors: number;
  /** The first few distinct error messages, for the report. */
  errorSamples: string[];
  stoppedBy: 'count' | 'time' | 'abort';
}

const MAX_ERROR_SAMPLES = 5;

/**
 * Runs `op(0..count-1)` with a fixed number in flight: each worker starts the next index as soon as its previous
 * operation ends (a closed loop, so a slower system sees fewer requests rather than an ever-growing queue).
 * Bounded by count, by time and by the abort signal.
 */
export async function runClosedLoop(
  op: (index: number) => Promise<Outcome>,
  opts: ClosedLoopOptions,
): Promise<ClosedLoopResult> {
  if (!(Number.isInteger(opts.concurrency) && opts.concurrency > 0)) {
    throw new RangeError('concurrency must be a positive integer');
  }
  const result: ClosedLoopResult = {
    latenciesMs: [],
    elapsedMs: 0,
    ok: 0,
    conflicts: 0,
    errors: 0,
    errorSamples: [],
    stoppedBy: 'count',
  };
  const started = performance.now();
  const deadline = started + opts.maxMs;
  let next = 0;

  const worker = async () => {
    while (next < opts.count) {
      if (opts.signal?.aborted) {
        result.stoppedBy = 'abort';
        return;
      }
      if (performance.now() >= deadline) {
        result.stoppedBy = 'time';
        return;
      }
      const index = next++;
      const t0 = performance.now();
      try {
        const outcome = await op(index);
        if (outcome === 'ok') {
          result.latenciesMs.push(performance.now() - t0);
          result.ok++;
        } else {
          result.conflicts++;
        }
      } catch (err) {
        result.errors++;
        const message = err instanceof Error ? err.message : String(err);
        if (result.errorSamples.length < MAX_ERROR_SAMPLES && !result.errorSamples.includes(message)) {
          result.errorSamples.push(message);
        }
      }
    }
  };

  await Promise.all(Array.from({ length: Math.min(opts.concurrency, Math.max(opts.count, 0)) }, worker));
  result.elapsedMs = performance.now() - started;
  return result;
}
