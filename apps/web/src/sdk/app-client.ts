import { browserNetworkStatus, createSlotcastClient, type SlotcastClient } from '@slotcast/client';

/**
 * The SDK as the web app uses it: the page's own origin (the server serves the app, Vite proxies in development),
 * the refresh token in the server's HttpOnly cookie and the access token in memory only, so no script on the page
 * can read either from storage; a reload signs in again through the cookie. The browser's online/offline events.
 * The replay cursor stays in memory: every page load reads a fresh snapshot over REST, then follows live.
 */
export function createAppClient(): SlotcastClient {
  return createSlotcastClient({
    baseUrl: '',
    session: 'cookie',
    realtime: { network: browserNetworkStatus() },
  });
}

/** The BroadcastChannel on which tabs tell each other of a sign-in or sign-out. */
export const SESSION_CHANNEL = 'slotcast:session';
