import { describe, expect, it } from 'vitest';
import type { Clock } from './clock.js';
import {
  batteryIsLow,
  type ConnectionConditions,
  ConnectionPolicy,
  DEFAULT_CONNECTION_POLICY,
  heartbeatInterval,
  networkKind,
  reconnectBackoff,
} from './connection-policy.js';

/** Timers that fire when the test moves time on. */
class ManualClock implements Clock {
  private timers: { fn: () => void; at: number }[] = [];
  t = 0;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const timer = { fn, at: this.t + ms };
    this.timers.push(timer);
    return timer;
  };
  clearTimeout = (h: unknown) => {
    this.timers = this.timers.filter((t) => t !== h);
  };
  advance(ms: number): void {
    this.t += ms;
    const due = this.timers.filter((t) => t.at <= this.t);
    this.timers = this.timers.filter((t) => t.at > this.t);
    for (const t of due) t.fn();
  }
}

/** A connection that records what the policy asked of it. */
function connection() {
  const calls: string[] = [];
  return { calls, start: () => void calls.push('start'), stop: () => void calls.push('stop') };
}

const visible: ConnectionConditions = {
  visible: true,
  pushEnabled: true,
  network: 'wifi',
  saveData: false,
  batteryLow: false,
};
const AFTER = DEFAULT_CONNECTION_POLICY.closeHiddenAfterMs;

describe('battery-aware connection policy', () => {
  it('closes the socket after the page is hidden for the set time with push on, and reopens it when visible', () => {
    const clock = new ManualClock();
    const conn = connection();
    const policy = new ConnectionPolicy(conn, visible, { clock });
    policy.update({ visible: false });
    clock.advance(AFTER - 1);
    expect(conn.calls).toEqual([]);
    clock.advance(1);
    expect(conn.calls).toEqual(['stop']);
    expect(policy.sleeping).toBe(true);
    policy.update({ visible: true });
    expect(conn.calls).toEqual(['stop', 'start']);
    expect(policy.sleeping).toBe(false);
  });

  it('keeps the socket when the page comes back before the time is up', () => {
    const clock = new ManualClock();
    const conn = connection();
    const policy = new ConnectionPolicy(conn, visible, { clock });
    policy.update({ visible: false });
    clock.advance(AFTER / 2);
    policy.update({ visible: true });
    clock.advance(AFTER * 2);
    expect(conn.calls).toEqual([]);
  });

  it('never closes the socket without push: nothing else would tell the user', () => {
    const clock = new ManualClock();
    const conn = connection();
    new ConnectionPolicy(conn, { ...visible, visible: false, pushEnabled: false }, { clock });
    clock.advance(AFTER * 10);
    expect(conn.calls).toEqual([]);
  });

  it('reopens a sleeping socket when push is turned off while hidden', () => {
    const clock = new ManualClock();
    const conn = connection();
    const policy = new ConnectionPolicy(conn, { ...visible, visible: false }, { clock });
    clock.advance(AFTER);
    policy.update({ pushEnabled: false });
    expect(conn.calls).toEqual(['stop', 'start']);
  });

  it('honours a configured delay', () => {
    const clock = new ManualClock();
    const conn = connection();
    new ConnectionPolicy(conn, { ...visible, visible: false }, { clock, settings: { closeHiddenAfterMs: 5_000 } });
    clock.advance(5_000);
    expect(conn.calls).toEqual(['stop']);
  });

  it('spaces heartbeats more when hidden, on saveData and on a low battery', () => {
    expect(heartbeatInterval(visible)).toBe(25_000);
    expect(heartbeatInterval({ ...visible, visible: false })).toBe(60_000);
    expect(heartbeatInterval({ ...visible, saveData: true })).toBe(120_000);
    expect(heartbeatInterval({ ...visible, batteryLow: true })).toBe(120_000);
  });

  it('spaces reconnect attempts more on cellular and most while offline', () => {
    const cap = (network: ConnectionConditions['network']) => reconnectBackoff({ ...visible, network }).capMs!;
    expect(cap('wifi')).toBeLessThan(cap('cellular'));
    expect(cap('cellular')).toBeLessThan(cap('offline'));
    const base = (network: ConnectionConditions['network']) => reconnectBackoff({ ...visible, network }).baseMs!;
    expect(base('wifi')).toBeLessThan(base('cellular'));
  });

  it('hands the heartbeat and back-off to the connection at once, and again only when the conditions change them', () => {
    const calls: string[] = [];
    const conn = {
      start: () => void calls.push('start'),
      stop: () => void calls.push('stop'),
      setHeartbeat: (ms: number) => void calls.push(`heartbeat ${ms}`),
      setBackoff: (b: { baseMs: number; capMs: number }) => void calls.push(`backoff ${b.baseMs}-${b.capMs}`),
    };
    const policy = new ConnectionPolicy(conn, visible, { clock: new ManualClock() });
    expect(calls).toEqual(['heartbeat 25000', 'backoff 500-30000']);
    calls.length = 0;
    policy.update({ visible: false });
    policy.update({ network: 'cellular' });
    policy.update({ batteryLow: true });
    policy.update({ visible: true });
    policy.update({ batteryLow: false, network: 'wifi' });
    expect(calls).toEqual([
      'heartbeat 60000',
      'backoff 2000-60000',
      'heartbeat 120000',
      'heartbeat 25000',
      'backoff 500-30000',
    ]);
  });

  it('reads cellular from the connection type, or from a 3g-or-slower effective type where the type is unknown', () => {
    expect(networkKind({ onLine: false, type: 'wifi' })).toBe('offline');
    expect(networkKind({ onLine: true, type: 'wifi', effectiveType: '2g' })).toBe('wifi');
    expect(networkKind({ onLine: true, type: 'ethernet' })).toBe('wifi');
    expect(networkKind({ onLine: true, type: 'cellular', effectiveType: '4g' })).toBe('cellular');
    expect(networkKind({ onLine: true, effectiveType: '3g' })).toBe('cellular');
    expect(networkKind({ onLine: true, effectiveType: 'slow-2g' })).toBe('cellular');
    expect(networkKind({ onLine: true, effectiveType: '4g' })).toBe('unknown');
    expect(networkKind({ onLine: true })).toBe('unknown');
  });

  it('counts the battery as low only when not charging and at 20 % or less', () => {
    expect(batteryIsLow({ charging: false, level: 0.2 })).toBe(true);
    expect(batteryIsLow({ charging: false, level: 0.21 })).toBe(false);
    expect(batteryIsLow({ charging: true, level: 0.05 })).toBe(false);
  });
});
