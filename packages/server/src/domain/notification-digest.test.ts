import { describe, expect, it } from 'vitest';
import { digestMessage } from './notification-digest.js';

describe('digestMessage', () => {
  it('counts per category in order of first appearance', () => {
    const m = digestMessage([
      { category: 'change', title: 'Booking moved' },
      { category: 'request', title: 'New booking request' },
      { category: 'change', title: 'Booking moved' },
      { category: 'change', title: 'Booking moved' },
    ]);
    expect(m.title).toBe('While you were away: 3 bookings changed, 1 new request');
    expect(m.body.split('\n')).toHaveLength(4);
  });

  it('lists at most five titles', () => {
    const m = digestMessage(Array.from({ length: 7 }, (_, i) => ({ category: 'reminder' as const, title: `R${i}` })));
    expect(m.title).toBe('While you were away: 7 reminders');
    expect(m.body).toBe('R0\nR1\nR2\nR3\nR4\nand 2 more');
  });
});
