import type { Notification } from '@slotcast/protocol';
import { describe, expect, it } from 'vitest';
import { groupHistory } from './notification-history.js';

const n = (id: string, createdAt: string, bookingId: string | null): Notification => ({
  id,
  bookingId,
  sourceEventId: 1,
  category: 'change',
  priority: 1,
  title: id,
  body: '',
  createdAt,
  readAt: null,
});

describe('notification history', () => {
  it('groups newest-first notifications by local day, then by booking, in order of each newest item', () => {
    const items = [
      n('c', '2026-12-02T09:00:00Z', 'b1'),
      n('b', '2026-12-02T08:00:00Z', 'b2'),
      n('a', '2026-12-02T07:00:00Z', 'b1'),
      // 23:30 UTC on the 1st is already the 2nd in Berlin.
      n('z', '2026-12-01T23:30:00Z', null),
      n('y', '2026-12-01T10:00:00Z', 'b2'),
    ];
    const days = groupHistory(items, 'Europe/Berlin');
    expect(days.map((d) => [d.day, d.bookings.map((g) => [g.bookingId, g.items.map((i) => i.id)])])).toEqual([
      [
        '2026-12-02',
        [
          ['b1', ['c', 'a']],
          ['b2', ['b']],
          [null, ['z']],
        ],
      ],
      ['2026-12-01', [['b2', ['y']]]],
    ]);
  });
});
