import type { Booking } from '@slotcast/protocol';

/** The database name for one user: each user's data sits in a database of its own, deleted at sign-out. */
export const offlineDbName = (userId: string): string => `slotcast-offline:${userId}`;

/**
 * A user's cached bookings read straight from IndexedDB, without Dexie: a page starts this read while its scripts
 * start, before the store's code (a chunk loaded after the first paint) is there, so a reload paints the cache sooner.
 * It reads the `bookings` table of whatever schema version is on disk (every version keeps `{ booking }` rows) and
 * never creates or upgrades the database: a database that does not exist yet stays absent (the upgrade is aborted),
 * and the connection closes after the read, or at once when the store asks to upgrade. Null when there is nothing
 * to read or the read failed (the caller then reads through the store as usual).
 */
export function readCachedBookings(userId: string, idb: IDBFactory = indexedDB): Promise<Booking[] | null> {
  return new Promise((resolve) => {
    let open: IDBOpenDBRequest;
    try {
      open = idb.open(offlineDbName(userId));
    } catch {
      resolve(null);
      return;
    }
    open.onupgradeneeded = () => open.transaction?.abort();
    open.onerror = () => resolve(null);
    open.onsuccess = () => {
      const db = open.result;
      db.onversionchange = () => db.close();
      const done = (rows: Booking[] | null) => {
        db.close();
        resolve(rows);
      };
      try {
        if (!db.objectStoreNames.contains('bookings')) return done(null);
        const all = db.transaction('bookings', 'readonly').objectStore('bookings').getAll();
        // Rows were validated when they were written (events and REST answers are parsed on arrival): not again here.
        // Rows of OfflineDb's bookings table (CachedBooking; named structurally here: offline-db imports this file).
        all.onsuccess = () => done((all.result as { booking: Booking }[]).map((r) => r.booking));
        all.onerror = () => done(null);
      } catch {
        done(null);
      }
    };
  });
}
