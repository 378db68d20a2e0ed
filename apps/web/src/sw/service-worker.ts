/// <reference lib="webworker" />
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { registerCatchUp } from './catch-up.js';
import { registerPush } from './push.js';

/**
 * The app shell offline: every built file is precached (the list is injected at build time by vite-plugin-pwa), and
 * any navigation is answered with the cached index.html, so a reload without network opens the app, which then
 * renders from its IndexedDB store. Data never goes through this cache: /api and /socket.io always reach the network.
 *
 * A new version waits: it installs next to the running one and takes over only when the page says so (the user chose
 * "Reload"), so an open tab with actions waiting to be sent is never switched to new code under its feet.
 */
declare global {
  /** The build's file list, injected by vite-plugin-pwa where `self.__WB_MANIFEST` is written. */
  var __WB_MANIFEST: (string | { url: string; revision: string | null })[];
}
const sw = self as unknown as ServiceWorkerGlobalScope;

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/^\/(api|socket\.io|docs)(\/|$)/] }),
);

sw.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void sw.skipWaiting();
});

// Push: show a notification per booking, run its actions, route a click (installable PWA and web push).
registerPush(sw);

// Predictive prefetch: catch the offline store up shortly before the hours the user usually opens the app.
registerCatchUp(sw);
