import { describe, expect, it } from 'vitest';
import { WORKERS_THREAD_MIN_CORES, workersInThread } from './workers-thread.js';

const postgres = { WORKERS_ENABLED: true, DATABASE_URL: 'postgres://db/slotcast' };

describe('where a node runs its workers', () => {
  it('auto: in a thread from four cores, on the main thread below', () => {
    expect(WORKERS_THREAD_MIN_CORES).toBe(4);
    expect(workersInThread({ ...postgres, WORKERS_THREAD: 'auto' }, {}, 4)).toBe(true);
    expect(workersInThread({ ...postgres, WORKERS_THREAD: 'auto' }, {}, 2)).toBe(false);
  });

  it('true and false force either, whatever the cores', () => {
    expect(workersInThread({ ...postgres, WORKERS_THREAD: true }, {}, 2)).toBe(true);
    expect(workersInThread({ ...postgres, WORKERS_THREAD: false }, {}, 64)).toBe(false);
  });

  it('never in a thread with the embedded database, without workers, or with parts passed in', () => {
    expect(workersInThread({ WORKERS_ENABLED: true, WORKERS_THREAD: true }, {}, 8)).toBe(false);
    expect(workersInThread({ ...postgres, WORKERS_ENABLED: false, WORKERS_THREAD: true }, {}, 8)).toBe(false);
    for (const part of ['db', 'now', 'mailer', 'composeMail']) {
      expect(workersInThread({ ...postgres, WORKERS_THREAD: true }, { [part]: {} }, 8)).toBe(false);
    }
  });
});
