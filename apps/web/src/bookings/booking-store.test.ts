import type { Booking } from '@slotcast/protocol';
import { describe, expect, it } from 'vitest';
import { aBooking } from '../../test/support/booking-fixture.js';
import { BookingStore } from './booking-store.js';

const base = aBooking();
const other: Booking = { ...base, id: '60000000-0000-4000-8000-000000000002' };

function manualTimers() {
  const pending = new Map<number, () => void>();
  let next = 0;
  let now = 0;
  return {
    now: () => now,
    setTimeout: (fn: () => void) => {
      pending.set(++next, fn);
      return next;
    },
    clearTimeout: (h: unknown) => pending.delete(h as number),
    /** Moves the clock and runs every timer (each re-checks the clock). */
    advance: (ms: number) => {
      now += ms;
      for (const [h, fn] of [...pending]) {
        pending.delete(h);
        fn();
      }
    },
  };
}

describe('BookingStore', () => {
  it('keeps the newer version whichever of a snapshot and a live event arrives first', () => {
    const store = new BookingStore();
    expect(store.apply({ ...base, version: 2, status: 'confirmed' })).toBe('new');
    store.merge([base]);
    expect(store.get(base.id)?.status).toBe('confirmed');
    expect(store.apply(base)).toBe('stale');
    store.merge([{ ...base, version: 3, status: 'cancelled' }]);
    expect(store.get(base.id)?.status).toBe('cancelled');
  });

  it('highlights live changes briefly, not snapshot reads', () => {
    const timers = manualTimers();
    const store = new BookingStore(timers);
    store.merge([base]);
    expect(store.getSnapshot().fresh.size).toBe(0);
    expect(store.apply({ ...base, version: 2 })).toBe('changed');
    expect(store.apply(other)).toBe('new');
    expect([...store.getSnapshot().fresh]).toEqual([
      [base.id, 'changed'],
      [other.id, 'new'],
    ]);
    // A booking that arrived a moment ago and changes again still reads as new.
    timers.advance(3_000);
    store.apply({ ...other, version: 2 });
    expect(store.getSnapshot().fresh.get(other.id)).toBe('new');
    // The first two highlights end after 4 s; the booking changed again at 3 s keeps its highlight until 7 s.
    timers.advance(1_000);
    expect([...store.getSnapshot().fresh.keys()]).toEqual([other.id]);
    timers.advance(3_000);
    expect(store.getSnapshot().fresh.size).toBe(0);
    expect(store.apply({ ...base, version: 3 }, { highlight: false })).toBe('changed');
    expect(store.getSnapshot().fresh.size).toBe(0);
  });

  it('keeps the identity of unchanged bookings and publishes only on change', () => {
    const store = new BookingStore();
    store.merge([base, other]);
    let calls = 0;
    store.subscribe(() => calls++);
    const before = store.getSnapshot();
    store.merge([base, other]);
    expect(calls).toBe(0);
    expect(store.getSnapshot()).toBe(before);
    store.apply({ ...base, version: 2 }, { highlight: false });
    expect(calls).toBe(1);
    expect(store.getSnapshot().byId.get(other.id)).toBe(before.byId.get(other.id));
  });

  it('applies a whole frame of live events with one publish, in order, each judged against the ones before it', () => {
    const timers = manualTimers();
    const store = new BookingStore(timers);
    store.merge([other]);
    let calls = 0;
    store.subscribe(() => calls++);
    const kinds = store.applyAll([
      base,
      { ...base, version: 2, status: 'confirmed' },
      { ...base, version: 1 },
      { ...other, version: 2 },
    ]);
    expect(kinds).toEqual(['new', 'changed', 'stale', 'changed']);
    expect(calls).toBe(1);
    const snap = store.getSnapshot();
    expect(snap.byId.get(base.id)).toMatchObject({ version: 2, status: 'confirmed' });
    expect([...snap.fresh]).toEqual([
      [base.id, 'new'],
      [other.id, 'changed'],
    ]);
    // Nothing new in a frame: no publish at all.
    expect(store.applyAll([{ ...other, version: 2 }])).toEqual(['stale']);
    expect(calls).toBe(1);
  });
  it('drops bookings the server no longer shows, unless a newer version arrived meanwhile', () => {
    const store = new BookingStore();
    store.merge([base, other]);
    store.apply({ ...other, version: 2 }, { highlight: false });
    store.remove([base, other]);
    expect([...store.getSnapshot().byId.keys()]).toEqual([other.id]);
  });
});
