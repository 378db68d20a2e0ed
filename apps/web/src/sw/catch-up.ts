/// <reference lib="webworker" />
import {
  catchUpOnce,
  createSlotcastClient,
  OfflineCache,
  prefetchDue,
  prefetchedAt,
  setPrefetchedAt,
  storedOpenHours,
} from '@slotcast/client';
import { OfflineCursorStore, OfflineDb, offlineDbName } from '@slotcast/client/offline';
import { CATCH_UP_TAG } from '../prefetch/catch-up-tag.js';

/** Periodic Background Sync's event (Chromium), not in TypeScript's lib yet. */
interface PeriodicSyncEvent extends ExtendableEvent {
  readonly tag: string;
}

/** The signed-in user of this device: the one offline store (each user's is deleted at sign-out). */
async function storeOwner(): Promise<string | null> {
  const prefix = offlineDbName('');
  const names = (await indexedDB.databases())
    .map((d) => d.name ?? '')
    .filter((name) => name.startsWith(prefix) && name.length > prefix.length);
  // None: signed out. Several: a sign-out did not finish; whose store is current is the page's to settle.
  return names.length === 1 ? names[0]!.slice(prefix.length) : null;
}

/**
 * Shortly before the hour this user usually opens the app, catch the offline store up (the replay from its cursor,
 * the same events a page would get), so the app opens on fresh data even before its socket is up. The browser decides
 * when `periodicsync` fires (at most about hourly, depending on engagement); each firing checks whether a usual open
 * is within the hour and no catch-up was done in it. Session: the HttpOnly refresh cookie, as a page uses it.
 */
export async function catchUpIfDue(now = Date.now()): Promise<void> {
  const userId = await storeOwner();
  if (!userId) return;
  const db = new OfflineDb(userId);
  const cache = new OfflineCache(db);
  try {
    if (!prefetchDue(await storedOpenHours(db), now, await prefetchedAt(db))) return;
    const sdk = createSlotcastClient({
      baseUrl: '',
      session: 'cookie',
      // A worker has no XMLHttpRequest for long-polling.
      realtime: { cursorStore: new OfflineCursorStore(), socketOptions: { transports: ['websocket'] } },
    });
    const outcome = await catchUpOnce(sdk, cache, { userId });
    if (outcome === 'caught-up' || outcome === 'resync') await setPrefetchedAt(db, now);
  } finally {
    db.close();
  }
}

export function registerCatchUp(sw: ServiceWorkerGlobalScope): void {
  sw.addEventListener('periodicsync', (event) => {
    const e = event as PeriodicSyncEvent;
    if (e.tag === CATCH_UP_TAG) e.waitUntil(catchUpIfDue().catch((err) => console.warn('slotcast catch-up:', err)));
  });
}
