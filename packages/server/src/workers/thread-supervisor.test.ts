import { Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { superviseThread } from './thread-supervisor.js';

/**
 * Real worker threads running a small script: `ready` at start (or a throw, when `fail` is set), an `echo` naming its
 * generation, exit code 3 on `die`, `stopped` on `stop` (unless `deaf`).
 */
const SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads');
if (workerData.fail) throw new Error('cannot start: ' + workerData.gen);
parentPort.postMessage({ type: 'ready' });
parentPort.on('message', (m) => {
  if (m.type === 'echo') parentPort.postMessage({ type: 'echo', gen: workerData.gen });
  if (m.type === 'die') process.exit(3);
  if (m.type === 'stop' && !workerData.deaf) {
    parentPort.postMessage({ type: 'stopped' });
    parentPort.close();
  }
});
`;

function harness(plan: { fail?: boolean; deaf?: boolean }[]) {
  let gen = 0;
  const echoes: number[] = [];
  const logs: { msg: string; code?: number }[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line) logs.push(JSON.parse(line));
      done();
    },
  });
  let restarts = 0;
  const start = () =>
    superviseThread({
      name: 'test thread',
      spawn: () => {
        gen++;
        return new Worker(SCRIPT, { eval: true, workerData: { gen, ...plan[gen - 1] } });
      },
      onMessage: (m) => echoes.push((m as { gen: number }).gen),
      logger: pino({ level: 'info' }, sink),
      restartDelaysMs: [0, 1],
      onRestart: () => restarts++,
    });
  return { start, echoes, logs, restarts: () => restarts, spawned: () => gen };
}

describe('a supervised worker thread', () => {
  it('is replaced when it dies, and the replacement gets the messages from then on', async () => {
    const h = harness([{}, {}]);
    const thread = await h.start();
    thread.post({ type: 'echo' });
    await expect.poll(() => h.echoes).toEqual([1]);

    thread.post({ type: 'die' });
    await expect.poll(() => h.restarts()).toBe(1);
    // Until the replacement is up, messages are dropped; once it is, they reach it.
    await expect
      .poll(() => {
        thread.post({ type: 'echo' });
        return h.echoes.includes(2);
      })
      .toBe(true);
    expect(h.echoes.filter((g) => g === 1)).toHaveLength(1);
    expect(h.logs.find((l) => l.msg === 'the test thread stopped; starting it again')).toMatchObject({ code: 3 });
    await thread.stop(5_000);
    expect(h.spawned()).toBe(2);
  });

  it('keeps trying when a replacement cannot start, with the next back-off each time', async () => {
    const h = harness([{}, { fail: true }, {}]);
    const thread = await h.start();
    thread.post({ type: 'die' });
    await expect
      .poll(() => {
        thread.post({ type: 'echo' });
        return h.echoes.includes(3);
      })
      .toBe(true);
    expect(h.restarts()).toBe(2);
    await thread.stop(5_000);
  });

  it('fails the start when the first thread cannot start', async () => {
    const h = harness([{ fail: true }]);
    await expect(h.start()).rejects.toThrow('cannot start: 1');
    expect(h.restarts()).toBe(0);
  });

  it('stops a thread that does not answer by terminating it, and starts no other', async () => {
    const h = harness([{ deaf: true }]);
    const thread = await h.start();
    await thread.stop(50);
    expect(h.logs.map((l) => l.msg)).toContain('the test thread did not stop in time; terminating it');
    expect(h.restarts()).toBe(0);
    expect(h.spawned()).toBe(1);
  });
});
