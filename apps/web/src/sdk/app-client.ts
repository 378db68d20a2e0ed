import {
  browserNetworkStatus,
  createSlotcastClient,
  lazyOfflineCursorStore,
  type SlotcastClient,
} from '@slotcast/client';

/**
 * The SDK as the web app uses it: the page's own origin (the server serves the app, Vite proxies in development),
 * the refresh token in the server's HttpOnly cookie and the access token in memory only, so no script on the page
 * can read either from storage; a reload signs in again through the cookie. The browser's online/offline events.
 * The replay cursor is the one the offline store (IndexedDB) keeps with the data it describes, so a reload renders the
 * cache and asks the server only for what was missed. The store's code (Dexie) loads with the first read of that
 * cursor, after the first paint, not with the app.
 */
export function createAppClient(): SlotcastClient {
  return createSlotcastClient({
    baseUrl: '',
    session: 'cookie',
    realtime: {
      network: browserNetworkStatus(),
      ...(typeof indexedDB !== 'undefined' ? { cursorStore: lazyOfflineCursorStore() } : {}),
    },
  });
}

/** The BroadcastChannel on which tabs tell each other of a sign-in or sign-out. */
export const SESSION_CHANNEL = 'slotcast:session';
