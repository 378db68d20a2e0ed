import type { Booking, Notification } from '@slotcast/protocol';
import { Dexie, type Table } from 'dexie';
import type { Choice, Meanwhile, Notice } from './conflict-rules.js';
import { offlineDbName } from './first-read.js';
import type { QueuedAction } from './queued-action.js';

/** One row per cached booking; `cachedAt` drives eviction of the oldest data outside the window. */
export interface CachedBooking {
  id: string;
  startAt: string;
  cachedAt: number;
  booking: Booking;
}

export interface CachedNotification {
  id: string;
  createdAt: string;
  notification: Notification;
}

/** Catalogue entries the user's screens use (vendors, services, resources), by a key the caller chooses. */
export interface CachedCatalogue {
  key: string;
  cachedAt: number;
  value: unknown;
}

/**
 * Small facts about the cache: `cursor` (the last event id reflected in these tables), `syncedAt` (when the cache
 * last caught up with the server), `needsSnapshot` (a resync moved the cursor; only a snapshot makes it whole),
 * `openHours` (when the user usually opens the app, open-hours.ts), `prefetchedAt` (the service worker's last catch-up).
 */
export interface MetaRow {
  key: 'cursor' | 'syncedAt' | 'needsSnapshot' | 'role' | 'openHours' | 'prefetchedAt';
  value: unknown;
}

/** A queued action the server refused: kept, with the server's state, until the user decides. */
export interface AttentionRow extends QueuedAction {
  refusedAt: number;
  current: Booking | null;
  reason: Notice;
  meanwhile: Meanwhile;
  choices: Choice[];
}

export { offlineDbName } from './first-read.js';

/**
 * The offline store of one signed-in user. Each `version()` is a schema step; Dexie runs the upgrades in order on a
 * browser that has an older database, so a schema change is a new step, never an edit of an old one.
 */
export class OfflineDb extends Dexie {
  bookings!: Table<CachedBooking, string>;
  notifications!: Table<CachedNotification, string>;
  catalogue!: Table<CachedCatalogue, string>;
  meta!: Table<MetaRow, MetaRow['key']>;
  outbox!: Table<QueuedAction, number>;
  attention!: Table<AttentionRow, number>;

  constructor(userId: string, opts: { indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange } = {}) {
    super(offlineDbName(userId), opts.indexedDB ? { indexedDB: opts.indexedDB, IDBKeyRange: opts.IDBKeyRange } : {});
    // 1: bookings, notifications, meta, outbox.
    this.version(1).stores({
      bookings: 'id, startAt',
      notifications: 'id, createdAt',
      meta: 'key',
      outbox: '++seq, bookingId',
    });
    // 2: eviction by age (`cachedAt`), the catalogue, and refused actions kept for the user.
    this.version(2)
      .stores({
        bookings: 'id, startAt, cachedAt',
        catalogue: 'key, cachedAt',
        attention: 'seq, bookingId',
      })
      .upgrade(async (tx) => {
        const now = Date.now();
        await tx
          .table('bookings')
          .toCollection()
          .modify((row: Partial<CachedBooking>) => {
            row.cachedAt ??= now;
          });
      });
  }
}

/** Deletes a user's offline store (sign-out). Waits for other tabs to close it (Dexie closes on `versionchange`). */
export async function deleteOfflineDb(
  userId: string,
  opts: { indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange } = {},
): Promise<void> {
  const db = new OfflineDb(userId, opts);
  await db.delete();
}
