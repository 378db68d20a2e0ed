import 'fake-indexeddb/auto';
import type { EventEnvelope } from '@slotcast/protocol';
import { Dexie } from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { booking } from '../../test/support/booking-endpoint.js';
import { bookingEvent } from '../../test/support/fixtures.js';
import { OfflineCache } from './offline-cache.js';
import { OfflineCursorStore } from './offline-cursor-store.js';
import { deleteOfflineDb, OfflineDb, offlineDbName } from './offline-db.js';
import { evict } from './storage-hygiene.js';

let n = 0;
let db: OfflineDb;
let cache: OfflineCache;
const user = () => `cache-${n}`;

beforeEach(() => {
  n++;
  db = new OfflineDb(user());
  cache = new OfflineCache(db, () => 1_000);
});
afterEach(async () => {
  db.close();
  await deleteOfflineDb(user());
});

const eventFor = (id: number, version: number, status: 'confirmed' | 'cancelled' = 'confirmed'): EventEnvelope => {
  const e = bookingEvent(id);
  const data = e.data as { booking: { version: number; status: string } };
  data.booking.version = version;
  data.booking.status = status;
  return e;
};

describe('OfflineCache', () => {
  it('stores an event and the cursor past it together, and the cursor store reads that cursor', async () => {
    await cache.applyEnvelope(eventFor(7, 7));
    expect(await cache.cursor()).toBe(7);
    expect((await cache.bookings()).map((b) => b.version)).toEqual([7]);
    expect(await new OfflineCursorStore().get(user())).toBe(7);
  });

  it('leaves neither the booking nor the cursor written when the transaction fails', async () => {
    await cache.applyEnvelope(eventFor(7, 7));
    // The write of the booking fails inside the transaction (as a full disk would).
    const fail = () => {
      throw new Error('QuotaExceededError');
    };
    db.bookings.hook('updating', fail);
    await expect(cache.applyEnvelope(eventFor(8, 8, 'cancelled'))).rejects.toThrow('QuotaExceededError');
    db.bookings.hook('updating').unsubscribe(fail);

    expect(await cache.cursor()).toBe(7);
    expect((await cache.bookings())[0]?.status).toBe('confirmed');
    // Replayed from cursor 7, event 8 is applied now.
    await cache.applyEnvelope(eventFor(8, 8, 'cancelled'));
    expect(await cache.cursor()).toBe(8);
    expect((await cache.bookings())[0]?.status).toBe('cancelled');
  });

  it('writes a frame of events and the cursor past its last in one transaction: all of it, or none', async () => {
    await cache.applyEnvelope(eventFor(7, 7));
    const fail = () => {
      throw new Error('QuotaExceededError');
    };
    db.bookings.hook('updating', fail);
    await expect(cache.applyEnvelopes([eventFor(8, 8, 'cancelled'), eventFor(9, 9)])).rejects.toThrow(
      'QuotaExceededError',
    );
    db.bookings.hook('updating').unsubscribe(fail);
    expect(await cache.cursor()).toBe(7);
    expect((await cache.bookings()).map((b) => b.version)).toEqual([7]);

    // The replay from 7 brings the frame again, overlapping what is stored: events at or below the cursor are skipped,
    // and of two versions of one booking in a frame the newest stays.
    await cache.applyEnvelopes([eventFor(7, 7), eventFor(8, 8, 'cancelled'), eventFor(9, 9)]);
    expect(await cache.cursor()).toBe(9);
    expect(await cache.bookings()).toEqual([expect.objectContaining({ version: 9, status: 'confirmed' })]);
  });

  it('ignores events at or below its cursor and booking versions older than it has', async () => {
    await cache.applyEnvelope(eventFor(9, 9, 'cancelled'));
    await cache.applyEnvelope(eventFor(8, 8));
    expect(await cache.cursor()).toBe(9);
    await cache.putSnapshot([{ ...(await cache.bookings())[0]!, version: 5, status: 'confirmed' }]);
    expect((await cache.bookings())[0]).toMatchObject({ version: 9, status: 'cancelled' });
  });

  it('after a resync, keeps the server cursor and asks for a snapshot until one is stored', async () => {
    await cache.resynced(42);
    expect(await cache.cursor()).toBe(42);
    expect(await cache.needsSnapshot()).toBe(true);
    await cache.putSnapshot([booking('d0000000-0000-4000-8000-000000000004')]);
    expect(await cache.needsSnapshot()).toBe(false);
    expect(await cache.syncedAt()).toBe(1_000);
  });

  it('drops cached bookings of the snapshot window that the snapshot no longer holds, and only those', async () => {
    let now = 1_000;
    const timed = new OfflineCache(db, () => now);
    const at = (day: number) => `2030-01-${String(day).padStart(2, '0')}T10:00:00.000Z`;
    const ids = ['1', '2', '3', '4', '5', '6'].map((d) => `f000000${d}-0000-4000-8000-00000000000${d}`);
    const [kept, deleted, moved, outside, queued, newer] = ids as [string, string, string, string, string, string];
    // Cached before the read: one still on the server, one deleted there, one it moved to a later time (outside the
    // window, and so absent from the window's snapshot), one outside the window, one a waiting action refers to.
    await timed.putSnapshot([
      booking(kept, { startAt: at(2) }),
      booking(deleted, { startAt: at(3) }),
      booking(moved, { startAt: at(4) }),
      booking(outside, { startAt: at(20) }),
      booking(queued, { startAt: at(5) }),
    ]);
    await db.outbox.add({
      kind: 'confirm',
      payload: { kind: 'confirm' },
      bookingId: queued,
      expected: booking(queued, { startAt: at(5) }),
      idempotencyKey: 'k',
      state: 'pending',
      attempts: 0,
      createdAt: 1_000,
    });
    const window = { from: at(1), to: at(10) };
    const readAt = 2_000;
    // An event written after the read began: the snapshot cannot hold it yet.
    now = 2_500;
    await timed.putBooking(booking(newer, { startAt: at(6) }));

    const removed = await timed.putSnapshot([booking(kept, { startAt: at(2), version: 2 })], { window, readAt });

    expect(removed.map((b) => b.id).sort()).toEqual([deleted, moved].sort());
    expect((await timed.bookings()).map((b) => b.id).sort()).toEqual([kept, outside, queued, newer].sort());
    expect((await timed.booking(kept))?.version).toBe(2);
  });

  it('marks notifications read by a notification.read event', async () => {
    const notification = {
      id: 'e0000000-0000-4000-8000-000000000005',
      bookingId: null,
      sourceEventId: 1,
      category: 'confirmation' as const,
      priority: 1 as const,
      title: 'Confirmed',
      body: 'b',
      createdAt: '2030-01-01T10:00:00.000Z',
      readAt: null,
    };
    const base = { v: 1 as const, occurredAt: '2030-01-01T10:00:00.000Z' };
    await cache.applyEnvelope({ ...base, id: 1, type: 'notification.created', data: { notification, unreadCount: 1 } });
    await cache.applyEnvelope({
      ...base,
      id: 2,
      type: 'notification.read',
      data: { ids: [notification.id], all: false, readAt: '2030-01-01T10:05:00.000Z', unreadCount: 0 },
    });
    expect((await cache.notifications())[0]?.readAt).toBe('2030-01-01T10:05:00.000Z');
  });
});

describe('OfflineDb migrations', () => {
  it('opens a version-1 database and fills what version 2 added', async () => {
    db.close();
    await deleteOfflineDb(user());
    const v1 = new Dexie(offlineDbName(user()));
    v1.version(1).stores({
      bookings: 'id, startAt',
      notifications: 'id, createdAt',
      meta: 'key',
      outbox: '++seq, bookingId',
    });
    const b = booking('f0000000-0000-4000-8000-000000000006');
    await v1.table('bookings').put({ id: b.id, startAt: b.startAt, booking: b });
    await v1.table('meta').put({ key: 'cursor', value: 12 });
    v1.close();

    db = new OfflineDb(user());
    cache = new OfflineCache(db);
    expect(await cache.cursor()).toBe(12);
    expect(db.verno).toBe(2);
    const row = await db.bookings.get(b.id);
    expect(typeof row?.cachedAt).toBe('number');
    expect(await db.bookings.where('cachedAt').above(0).count()).toBe(1);
  });
});

describe('evict', () => {
  it('drops bookings outside the window except ones a waiting or refused action refers to', async () => {
    const inside = booking('10000000-0000-4000-8000-000000000001', { startAt: '2030-01-10T10:00:00.000Z' });
    const before = booking('10000000-0000-4000-8000-000000000002', { startAt: '2029-12-01T10:00:00.000Z' });
    const after = booking('10000000-0000-4000-8000-000000000003', { startAt: '2030-03-01T10:00:00.000Z' });
    const held = booking('10000000-0000-4000-8000-000000000004', { startAt: '2029-11-01T10:00:00.000Z' });
    await cache.putSnapshot([inside, before, after, held]);
    await db.outbox.add({
      kind: 'cancel',
      payload: { kind: 'cancel' },
      bookingId: held.id,
      expected: held,
      idempotencyKey: 'k-00000001',
      state: 'pending',
      attempts: 0,
      createdAt: 0,
    });

    const report = await evict(db, { from: '2030-01-01T00:00:00.000Z', to: '2030-02-01T00:00:00.000Z' });

    expect(report.bookings).toBe(2);
    expect((await cache.bookings()).map((b) => b.id).sort()).toEqual([inside.id, held.id].sort());
  });

  it('keeps the newest notifications within the budget', async () => {
    const items = Array.from({ length: 5 }, (_, i) => ({
      id: `20000000-0000-4000-8000-00000000000${i}`,
      bookingId: null,
      sourceEventId: i,
      category: 'confirmation' as const,
      priority: 1 as const,
      title: 't',
      body: 'b',
      createdAt: `2030-01-0${i + 1}T10:00:00.000Z`,
      readAt: null,
    }));
    await cache.putNotifications(items);
    const report = await evict(
      db,
      { from: '2000-01-01T00:00:00.000Z', to: '2100-01-01T00:00:00.000Z' },
      { maxNotifications: 2 },
    );
    expect(report.notifications).toBe(3);
    expect((await cache.notifications()).map((x) => x.createdAt)).toEqual([items[4]!.createdAt, items[3]!.createdAt]);
  });
});
