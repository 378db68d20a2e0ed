import { afterEach, describe, expect, it, vi } from 'vitest';
import { AnnouncementQueue } from './announcement-queue.js';

describe('AnnouncementQueue', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('says the first update at once and sums up a burst that follows in one sentence', () => {
    vi.useFakeTimers();
    const said: string[] = [];
    const q = new AnnouncementQueue((t) => said.push(t), 3_000);
    q.push('New booking request');
    expect(said).toEqual(['New booking request']);
    q.push('Booking confirmed');
    q.push('Booking cancelled');
    q.push('New booking request');
    expect(said).toHaveLength(1);
    vi.advanceTimersByTime(2_999);
    expect(said).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(said).toEqual(['New booking request', '3 updates. Latest: New booking request']);
  });

  it('says a lone update after a quiet spell on its own, without waiting', () => {
    vi.useFakeTimers();
    const said: string[] = [];
    const q = new AnnouncementQueue((t) => said.push(t), 3_000);
    q.push('One');
    vi.advanceTimersByTime(10_000);
    q.push('Two');
    expect(said).toEqual(['One', 'Two']);
  });
});
