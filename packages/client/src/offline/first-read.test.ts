import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { bookingEvent } from '../../test/support/fixtures.js';
import { readCachedBookings } from './first-read.js';
import { OfflineCache } from './offline-cache.js';
import { deleteOfflineDb, OfflineDb, offlineDbName } from './offline-db.js';

describe('readCachedBookings (the boot read, without Dexie)', () => {
  it('reads the bookings the store cached, and leaves the store usable (its connection is closed)', async () => {
    const db = new OfflineDb('first-read-1');
    const cache = new OfflineCache(db);
    await cache.applyEnvelopes([bookingEvent(3), bookingEvent(4, 'booking.cancelled')]);
    const cached = await cache.bookings();
    db.close();

    expect(cached).toHaveLength(1);
    expect(await readCachedBookings('first-read-1')).toEqual(cached);
    // Deleting waits for every connection to close: it would hang if the read had left one open.
    await deleteOfflineDb('first-read-1');
  });

  it('answers null for a user without a store, and does not create one', async () => {
    expect(await readCachedBookings('first-read-none')).toBeNull();
    const names = (await indexedDB.databases()).map((d) => d.name);
    expect(names).not.toContain(offlineDbName('first-read-none'));
  });
});
