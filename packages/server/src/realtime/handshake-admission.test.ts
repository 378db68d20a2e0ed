import { describe, expect, it } from 'vitest';
import { HandshakeAdmission } from './handshake-admission.js';

const settings = { maxWaitMs: 3_000, minRatePerSec: 100, maxRetryAfterMs: 30_000 };

function admission() {
  const clock = { t: 1_000_000 };
  return { clock, a: new HandshakeAdmission(settings, () => clock.t) };
}

describe('HandshakeAdmission', () => {
  it('queues a handshake while the wait ahead of it is within maxWaitMs at the assumed rate', () => {
    const { a } = admission();
    // 300 ahead at the assumed 100/s: 3 s.
    expect(a.refusal(300)).toBeNull();
    expect(a.refusal(301)).not.toBeNull();
  });

  it('measures the clearing rate from completions over the last two seconds', () => {
    const { a, clock } = admission();
    for (let i = 0; i < 1_000; i++) {
      if (i > 0) clock.t += 2;
      a.completed();
    }
    // 1,000 in the last 2 s: 500/s, so 1,500 ahead is 3 s.
    expect(a.ratePerSec()).toBe(500);
    expect(a.refusal(1_500)).toBeNull();
    expect(a.refusal(1_501)).not.toBeNull();
    // Two quiet seconds later the measurement is gone and the assumed rate is back.
    clock.t += 2_000;
    expect(a.ratePerSec()).toBe(100);
  });

  it('gives refused handshakes turns after the queue drains, spaced at the clearing rate', () => {
    const { a } = admission();
    const waits = [a.refusal(1_000), a.refusal(1_000), a.refusal(1_000)];
    // 1,000 ahead at 100/s: the queue drains in 10 s; then one turn every 10 ms.
    expect(waits).toEqual([10_010, 10_020, 10_030]);
  });

  it('never refuses with maxWaitMs 0 (the default)', () => {
    const a = new HandshakeAdmission({ ...settings, maxWaitMs: 0 });
    expect(a.refusal(1_000_000)).toBeNull();
  });

  it('never names a wait past maxRetryAfterMs', () => {
    const { a } = admission();
    expect(a.refusal(1_000_000)).toBe(30_000);
  });
});
