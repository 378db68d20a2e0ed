import type { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';

/** The messages a supervised thread sends about itself; any other message goes to `onMessage`. */
type Lifecycle = { type: 'ready' } | { type: 'stopped' };

export interface SupervisedThread {
  /** To the thread running now (dropped while none runs: between a death and the restart). */
  post(msg: unknown): void;
  /** Asks the thread to stop (`{ type: 'stop' }`), waits for `stopped` or its exit, terminates it after `timeoutMs`. */
  stop(timeoutMs: number): Promise<void>;
}

/**
 * Keeps a worker thread running: resolves once the first one says `ready` (rejects if it fails or exits before, so a
 * node whose workers cannot start does not start either); a thread that dies later is logged and replaced after the
 * next back-off step, and so is a replacement that fails to start, until `stop`.
 */
export async function superviseThread(opts: {
  spawn: () => Worker;
  onMessage: (msg: unknown) => void;
  logger: Logger;
  /** Waits before the first, second, ... restart; the last repeats. */
  restartDelaysMs: readonly number[];
  onRestart?: () => void;
  /** What the logs call it. */
  name: string;
}): Promise<SupervisedThread> {
  const { logger, name } = opts;
  let current: Worker | null = null;
  let stopping = false;
  let restarts = 0;
  let onStopped: (() => void) | null = null;

  const start = () =>
    new Promise<Worker>((resolve, reject) => {
      const w = opts.spawn();
      let ready = false;
      w.on('message', (msg: Lifecycle) => {
        if (msg?.type === 'ready') {
          ready = true;
          resolve(w);
        } else if (msg?.type === 'stopped') onStopped?.();
        else opts.onMessage(msg);
      });
      w.on('error', (err) => {
        if (ready) logger.error({ err }, `the ${name} failed`);
        else reject(err);
      });
      w.once('exit', (code) => {
        if (!ready) {
          reject(new Error(`the ${name} exited with code ${code} before it was ready`));
          return;
        }
        if (w !== current || stopping) return;
        current = null;
        // Died after it was ready: whatever it held uncommitted is the durable mechanism's to hand out again.
        restart({ code });
      });
    });

  const restart = (why: Record<string, unknown>) => {
    const delay = opts.restartDelaysMs[Math.min(restarts, opts.restartDelaysMs.length - 1)] ?? 1000;
    restarts++;
    opts.onRestart?.();
    logger.error({ ...why, restartInMs: delay }, `the ${name} stopped; starting it again`);
    setTimeout(() => {
      if (stopping) return;
      start().then(
        (next) => {
          if (stopping) {
            void next.terminate();
            return;
          }
          current = next;
          logger.info({ restarts }, `the ${name} runs again`);
        },
        (err: unknown) => restart({ err }),
      );
    }, delay).unref();
  };

  current = await start();

  return {
    post(msg) {
      if (!stopping) current?.postMessage(msg);
    },
    async stop(timeoutMs) {
      if (stopping) return;
      stopping = true;
      const w = current;
      if (!w) return;
      const done = new Promise<void>((resolve) => {
        onStopped = resolve;
        w.once('exit', () => resolve());
      });
      w.postMessage({ type: 'stop' });
      const timer = setTimeout(() => {
        logger.warn(`the ${name} did not stop in time; terminating it`);
        void w.terminate();
      }, timeoutMs);
      await done;
      clearTimeout(timer);
      await w.terminate();
    },
  };
}
