import type { CacheWindow } from './offline-cache.js';
import type { OfflineDb } from './offline-db.js';

export interface StorageBudget {
  /** Notifications kept, newest first (default 200). */
  maxNotifications?: number;
  /** Catalogue entries older than this are dropped (default 30 days). */
  maxCatalogueAgeMs?: number;
  /** Above this share of the origin's quota, everything outside the window goes at once (default 0.5). */
  maxQuotaShare?: number;
}

export interface EvictionReport {
  bookings: number;
  notifications: number;
  catalogue: number;
}

/** The browser's storage manager, when there is one (not in Node, not in some embedded web views). */
function storageManager(): StorageManager | null {
  const nav = (globalThis as { navigator?: Navigator }).navigator;
  return nav?.storage && typeof nav.storage.estimate === 'function' ? nav.storage : null;
}

/**
 * Keeps the store inside its window and budget. Bookings outside the window go (oldest first: they are read least);
 * actions waiting in the outbox and refused ones are never evicted: they are the user's work, not a copy.
 */
export async function evict(
  db: OfflineDb,
  window: CacheWindow,
  opts: StorageBudget & { now?: number } = {},
): Promise<EvictionReport> {
  const now = opts.now ?? Date.now();
  const maxNotifications = opts.maxNotifications ?? 200;
  const maxCatalogueAgeMs = opts.maxCatalogueAgeMs ?? 30 * 24 * 3_600_000;
  // Bookings the outbox still refers to stay, so a pending action keeps its booking on screen.
  const held = new Set((await db.outbox.toArray()).map((a) => a.bookingId));
  for (const a of await db.attention.toArray()) held.add(a.bookingId);
  return db.transaction('rw', [db.bookings, db.notifications, db.catalogue], async () => {
    const outside = await db.bookings
      .where('startAt')
      .below(window.from)
      .or('startAt')
      .aboveOrEqual(window.to)
      .filter((r) => !held.has(r.id))
      .primaryKeys();
    await db.bookings.bulkDelete(outside);
    const oldNotifications = await db.notifications
      .orderBy('createdAt')
      .reverse()
      .offset(maxNotifications)
      .primaryKeys();
    await db.notifications.bulkDelete(oldNotifications);
    const catalogue = await db.catalogue
      .where('cachedAt')
      .below(now - maxCatalogueAgeMs)
      .primaryKeys();
    await db.catalogue.bulkDelete(catalogue);
    return { bookings: outside.length, notifications: oldNotifications.length, catalogue: catalogue.length };
  });
}

/** Whether the origin uses more than its share of the quota (an estimate; false when unknown). */
export async function overBudget(opts: StorageBudget = {}): Promise<boolean> {
  const sm = storageManager();
  if (!sm) return false;
  const { usage, quota } = await sm.estimate();
  if (!usage || !quota) return false;
  return usage / quota > (opts.maxQuotaShare ?? 0.5);
}

/**
 * Asks the browser not to evict this origin's storage under pressure. Staff depend on the cached schedule during a
 * working day; customers' data is small and re-read cheaply, so they are not asked (browsers may prompt).
 */
export async function requestPersistence(): Promise<boolean> {
  const sm = storageManager();
  if (!sm || typeof sm.persist !== 'function') return false;
  if (typeof sm.persisted === 'function' && (await sm.persisted())) return true;
  return sm.persist();
}
