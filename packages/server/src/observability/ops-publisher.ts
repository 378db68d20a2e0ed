import type { OpsSample } from '@slotcast/protocol';
import type { Logger } from 'pino';
import type { Clock } from '../realtime/expiry-timers.js';

/**
 * Pushes this node's sample every `intervalMs`. The next timer is armed when a sample is out, so a slow database
 * read delays the next sample instead of stacking them.
 */
export function publishOpsSamples(opts: {
  intervalMs: number;
  clock: Clock;
  sample: () => Promise<OpsSample>;
  /** To the admin room of the whole cluster (the Redis adapter carries it to the other nodes' admins). */
  emit: (sample: OpsSample) => void;
  logger: Logger;
}): { stop(): void } {
  let handle: unknown = null;
  let stopped = false;
  const tick = async () => {
    try {
      const s = await opts.sample();
      if (!stopped) opts.emit(s);
    } catch (err) {
      opts.logger.warn({ err }, 'ops sample failed');
    }
    if (!stopped) handle = opts.clock.setTimeout(() => void tick(), opts.intervalMs);
  };
  // The first sample after one interval too: its rates need a span to be measured over.
  handle = opts.clock.setTimeout(() => void tick(), opts.intervalMs);
  return {
    stop() {
      stopped = true;
      opts.clock.clearTimeout(handle);
    },
  };
}
