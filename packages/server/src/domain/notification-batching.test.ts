import { describe, expect, it } from 'vitest';
import { batchDecision, nextDigestAt } from './notification-batching.js';

const at = (iso: string) => new Date(iso);
const MINUTE = 60_000;

describe('batching window', () => {
  it('sends the first message of a quiet spell at once', () => {
    expect(batchDecision(undefined, at('2026-03-02T10:00:00Z'), MINUTE)).toEqual({ kind: 'send' });
    const recent = { lastDue: at('2026-03-02T09:58:59Z'), batchUntil: null };
    expect(batchDecision(recent, at('2026-03-02T10:00:00Z'), MINUTE)).toEqual({ kind: 'send' });
  });
  it('holds one that follows within the window until the window after the last sent message ends', () => {
    const recent = { lastDue: at('2026-03-02T10:00:00Z'), batchUntil: null };
    expect(batchDecision(recent, at('2026-03-02T10:00:20Z'), MINUTE)).toEqual({
      kind: 'hold',
      until: at('2026-03-02T10:01:00Z'),
    });
  });
  it('joins a batch that still waits, even once its time has come', () => {
    const recent = { lastDue: at('2026-03-02T10:00:00Z'), batchUntil: at('2026-03-02T10:01:00Z') };
    expect(batchDecision(recent, at('2026-03-02T10:01:05Z'), MINUTE)).toEqual({
      kind: 'hold',
      until: at('2026-03-02T10:01:00Z'),
    });
  });
  it('is off with a window of 0', () => {
    const recent = { lastDue: at('2026-03-02T10:00:00Z'), batchUntil: null };
    expect(batchDecision(recent, at('2026-03-02T10:00:01Z'), 0)).toEqual({ kind: 'send' });
  });
});

describe('staff digests', () => {
  it('goes hourly at the next full hour', () => {
    expect(nextDigestAt('hourly', at('2026-03-02T10:20:00Z'), 'Europe/Berlin')).toEqual(at('2026-03-02T11:00:00Z'));
  });
  it('goes daily at 08:00 in the user zone, today if still ahead, else tomorrow', () => {
    // 06:30 in Berlin (UTC+1): today 08:00 local = 07:00Z.
    expect(nextDigestAt('daily', at('2026-03-02T05:30:00Z'), 'Europe/Berlin')).toEqual(at('2026-03-02T07:00:00Z'));
    expect(nextDigestAt('daily', at('2026-03-02T07:00:00Z'), 'Europe/Berlin')).toEqual(at('2026-03-03T07:00:00Z'));
    // Across the spring-forward night in New York: 08:00 EDT is 12:00Z.
    expect(nextDigestAt('daily', at('2026-03-08T02:00:00Z'), 'America/New_York')).toEqual(at('2026-03-08T12:00:00Z'));
  });
});
