import {
  browserNetworkStatus,
  createSlotcastClient,
  LocalStorageTokenStorage,
  MemoryTokenStorage,
  type SlotcastClient,
} from '@slotcast/client';

/**
 * The SDK as the web app uses it: the page's own origin (the server serves the app, Vite proxies in development),
 * the session in localStorage so tabs share it and it survives a reload, and the browser's online/offline events.
 * The replay cursor stays in memory: every page load reads a fresh snapshot over REST, then follows live.
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
    realtime: { network: browserNetworkStatus() },
  });
}

export const SESSION_STORAGE_KEY = 'slotcast:session';
