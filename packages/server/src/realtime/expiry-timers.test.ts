import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExpiryTimers } from './expiry-timers.js';

describe('ExpiryTimers (one timer for every socket, on fake timers)', () => {
  let events: string[];
  let timers: ExpiryTimers<string>;
  // Each key's token expiry, as a socket's data holds it.
  let deadlines: Map<string, number>;
  const schedule = (key: string, expiresAt: number) => {
    deadlines.set(key, expiresAt);
    timers.schedule(key);
  };
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
    events = [];
    deadlines = new Map();
    timers = new ExpiryTimers<string>({
      leadMs: 60_000,
      expiresAt: (key) => deadlines.get(key)!,
      expiring: (key, at) => events.push(`${key} expiring ${at}`),
      expired: (key) => events.push(`${key} expired`),
    });
  });
  afterEach(() => {
    timers.stop();
    vi.useRealTimers();
  });

  it('asks for a fresh token the lead time before expiry, and closes at expiry, never before', () => {
    schedule('a', 600_000);
    vi.advanceTimersByTime(539_999);
    expect(events).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(events).toEqual(['a expiring 600000']);
    vi.advanceTimersByTime(59_999);
    expect(events).toEqual(['a expiring 600000']);
    vi.advanceTimersByTime(1);
    expect(events).toEqual(['a expiring 600000', 'a expired']);
  });

  it('asks at half the life of a token shorter than twice the lead time', () => {
    schedule('short', 10_000);
    vi.advanceTimersByTime(5_000);
    expect(events).toEqual(['short expiring 10000']);
    vi.advanceTimersByTime(5_000);
    expect(events).toEqual(['short expiring 10000', 'short expired']);
  });

  it('keeps a socket that was given a later expiry, and forgets a cleared one', () => {
    schedule('renewed', 100_000);
    schedule('gone', 100_000);
    vi.advanceTimersByTime(60_000);
    schedule('renewed', 400_000);
    timers.clear('gone');
    vi.advanceTimersByTime(100_000);
    expect(events).toEqual(['renewed expiring 100000', 'gone expiring 100000']);
    vi.advanceTimersByTime(240_000);
    expect(events.slice(2)).toEqual(['renewed expiring 400000', 'renewed expired']);
    expect(timers.size).toBe(0);
  });

  it('serves many sockets with one pending timer, earliest deadline first', () => {
    for (let i = 0; i < 1000; i++) schedule(`s${i}`, 2_000_000 - i * 1_000);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(2_000_000);
    const expired = events.filter((e) => e.endsWith('expired'));
    expect(expired).toHaveLength(1000);
    expect(expired[0]).toBe('s999 expired');
    expect(expired.at(-1)).toBe('s0 expired');
  });

  it('closes an already expired token in the current slot, without asking for a fresh one', () => {
    vi.advanceTimersByTime(1_000_000);
    schedule('late', 900_000);
    vi.advanceTimersByTime(250);
    expect(events).toEqual(['late expired']);
  });
});
