import {
  browserNetworkStatus,
  createSlotcastClient,
  LocalStorageTokenStorage,
  MemoryTokenStorage,
  OfflineCursorStore,
  type SlotcastClient,
} from '@slotcast/client';

/**
 * The SDK as the web app uses it: the page's own origin (the server serves the app, Vite proxies in development),
 * the session in localStorage so tabs share it and it survives a reload, and the browser's online/offline events.
 * The replay cursor is the one the offline store (IndexedDB) keeps with the data it describes, so a reload renders the
 * cache and asks the server only for what was missed.
 */
export function createAppClient(): SlotcastClient {
  let tokenStorage: LocalStorageTokenStorage | MemoryTokenStorage;
  try {
    tokenStorage = new LocalStorageTokenStorage();
  } catch {
    tokenStorage = new MemoryTokenStorage();
  }
  return createSlotcastClient({
    baseUrl: '',
    tokenStorage,
    realtime: {
      network: browserNetworkStatus(),
      ...(typeof indexedDB !== 'undefined' ? { cursorStore: new OfflineCursorStore() } : {}),
    },
  });
}

export const SESSION_STORAGE_KEY = 'slotcast:session';
