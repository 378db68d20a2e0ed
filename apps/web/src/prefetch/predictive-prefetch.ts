import { countOpen, type OfflineDb } from '@slotcast/client';
import { CATCH_UP_MIN_INTERVAL_MS, CATCH_UP_TAG } from './catch-up-tag.js';

interface PeriodicSyncManagerLike {
  register(tag: string, options?: { minInterval: number }): Promise<void>;
  unregister(tag: string): Promise<void>;
  getTags(): Promise<string[]>;
}

async function periodicSync(): Promise<PeriodicSyncManagerLike | null> {
  if (!('serviceWorker' in navigator)) return null;
  const registration = await navigator.serviceWorker.ready;
  return (registration as ServiceWorkerRegistration & { periodicSync?: PeriodicSyncManagerLike }).periodicSync ?? null;
}

/** Whether the browser lets this site sync in the background (Chromium: an installed app it engages with). */
async function permitted(): Promise<boolean> {
  try {
    const status = await navigator.permissions.query({ name: 'periodic-background-sync' as PermissionName });
    return status.state === 'granted';
  } catch {
    return false;
  }
}

/**
 * Predictive prefetch (MOB-7), the page's half: every visible moment counts an open of the app in the user's
 * histogram (offline store; once an hour), and where Periodic Background Sync is permitted the service worker is
 * asked to wake about hourly, to catch up shortly before the usual hours (sw/catch-up.ts). Where it is not, the catch
 * up happens on the first visible moment: the live session reconnects with its cursor and replays then. Returns a stop.
 */
export function watchOpenHours(db: OfflineDb): () => void {
  const onVisible = () => {
    if (document.visibilityState === 'visible') void countOpen(db).catch(() => {});
  };
  onVisible();
  document.addEventListener('visibilitychange', onVisible);
  void (async () => {
    const sync = await periodicSync();
    if (sync && (await permitted())) await sync.register(CATCH_UP_TAG, { minInterval: CATCH_UP_MIN_INTERVAL_MS });
  })().catch((err) => console.warn('slotcast: periodic sync not registered', err));
  return () => document.removeEventListener('visibilitychange', onVisible);
}

/** Sign-out: no more background catch-ups for a user who is gone (their histogram goes with their store). */
export async function stopBackgroundCatchUp(): Promise<void> {
  const sync = await periodicSync().catch(() => null);
  await sync?.unregister(CATCH_UP_TAG).catch(() => {});
}
