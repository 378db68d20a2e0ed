import { type ConnectionState, ConnectionStateStore, type ConnectionStatus } from '@slotcast/client';
import { act, cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectionIndicator } from './ConnectionIndicator.js';

const T0 = Date.parse('2030-01-07T10:00:00Z');

function setup(initial: Partial<ConnectionState> = {}) {
  const store = new ConnectionStateStore();
  store.update(initial);
  const retryNow = vi.fn();
  render(<ConnectionIndicator connection={{ getState: store.get, subscribeState: store.subscribe, retryNow }} />);
  const set = (patch: Partial<ConnectionState>) => act(() => store.update(patch));
  return { store, retryNow, set };
}

const badge = () => screen.getByTestId('connection-status');
const announcement = () => screen.getByTestId('connection-announcement');
const tooltip = () => document.getElementById(badge().getAttribute('aria-describedby')!)!;

beforeEach(() => {
  vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('ConnectionIndicator', () => {
  const cases: [ConnectionStatus, Partial<ConnectionState>, RegExp, RegExp][] = [
    ['connecting', {}, /^Connecting…$/, /Setting up live updates/],
    ['connected', { transport: 'websocket' }, /^Live$/, /changes made by others appear here as they happen/],
    ['reconnecting', { attempt: 2, nextRetryAt: T0 + 4_000 }, /^Reconnecting/, /may be out of date/],
    ['offline', { lastError: { code: 'OFFLINE', message: 'x' } }, /^Offline/, /No connection to the server/],
    ['polling-fallback', { transport: 'polling' }, /^Live \(slow mode\)/, /long-polling/],
  ];

  it.each(cases)(
    'shows %s with a word beside the dot and a tooltip saying what it means',
    (status, extra, label, tip) => {
      setup({ status, ...extra });
      expect(badge().closest('.connection')!.getAttribute('data-status')).toBe(status);
      expect(screen.getByText(label)).toBeTruthy();
      expect(tooltip().getAttribute('role')).toBe('tooltip');
      expect(tooltip().textContent).toMatch(tip);
    },
  );

  it('names the long-polling fallback and the missing network in its detail', () => {
    const { set } = setup({ status: 'polling-fallback', transport: 'polling' });
    expect(badge().textContent).toContain('long-polling');
    set({ status: 'offline', transport: null, lastError: { code: 'OFFLINE', message: 'offline' } });
    expect(badge().textContent).toContain('no network');
  });

  it('counts down to the next attempt and shows the attempt number while reconnecting', () => {
    const { set } = setup({ status: 'reconnecting', attempt: 3, nextRetryAt: T0 + 5_000 });
    expect(badge().textContent).toContain('attempt 3');
    expect(badge().textContent).toContain('next try in 5 s');
    act(() => vi.advanceTimersByTime(2_000));
    expect(badge().textContent).toContain('next try in 3 s');
    act(() => vi.advanceTimersByTime(3_000));
    expect(badge().textContent).toContain('next try in 0 s');
    set({ nextRetryAt: null });
    expect(badge().textContent).toContain('trying now');
    set({ attempt: 4, nextRetryAt: Date.now() + 9_000 });
    expect(badge().textContent).toContain('attempt 4');
    expect(badge().textContent).toContain('next try in 9 s');
  });

  it('offers "Retry now" while reconnecting and calls the SDK when pressed', async () => {
    vi.useRealTimers();
    const user = userEvent.setup();
    const { set, retryNow } = setup({ status: 'connected' });
    expect(screen.queryByRole('button', { name: 'Retry now' })).toBeNull();
    set({ status: 'reconnecting', attempt: 1, nextRetryAt: Date.now() + 20_000 });
    await user.click(screen.getByRole('button', { name: 'Retry now' }));
    expect(retryNow).toHaveBeenCalledTimes(1);
    set({ status: 'connected', attempt: 0, nextRetryAt: null });
    expect(screen.queryByRole('button', { name: 'Retry now' })).toBeNull();
  });

  it('offers "Retry now" when retries are paused offline, not before anything failed', () => {
    const { set } = setup({ status: 'offline' });
    expect(screen.queryByRole('button', { name: 'Retry now' })).toBeNull();
    set({ attempt: 8, lastError: { code: 'NETWORK', message: 'xhr poll error' } });
    expect(screen.getByRole('button', { name: 'Retry now' })).toBeTruthy();
    expect(badge().textContent).toContain('retries paused');
  });

  it('announces each change of status once in a polite live region, not the countdown', () => {
    const { set } = setup({ status: 'connecting' });
    const region = announcement();
    expect(region.getAttribute('aria-live')).toBe('polite');
    expect(region.getAttribute('role')).toBe('status');
    // The state found on arrival is not announced.
    expect(region.textContent).toBe('');
    set({ status: 'connected', transport: 'websocket' });
    expect(region.textContent).toBe('Connected. Live updates are on.');
    set({ status: 'reconnecting', attempt: 1, nextRetryAt: T0 + 3_000 });
    expect(region.textContent).toBe('Connection lost. Reconnecting, attempt 1.');
    act(() => vi.advanceTimersByTime(2_000));
    expect(region.textContent).toBe('Connection lost. Reconnecting, attempt 1.');
    set({ status: 'offline', nextRetryAt: null, lastError: { code: 'OFFLINE', message: 'offline' } });
    expect(region.textContent).toBe('Offline. Live updates are paused.');
    set({ status: 'polling-fallback', transport: 'polling', lastError: null });
    expect(region.textContent).toMatch(/^Connected over a slower fallback/);
  });

  it('shows the tooltip on focus and hides it with Escape', async () => {
    vi.useRealTimers();
    const user = userEvent.setup();
    setup({ status: 'connected' });
    expect(tooltip().hidden).toBe(true);
    await user.tab();
    expect(document.activeElement).toBe(badge());
    expect(tooltip().hidden).toBe(false);
    await user.keyboard('{Escape}');
    expect(tooltip().hidden).toBe(true);
  });
});
