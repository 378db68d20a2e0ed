import type { SwToWindow } from './push.js';

/**
 * Registers the service worker (built only in production builds: the dev server has none), and routes a window
 * when the worker asks (a notification was clicked while the app was open).
 */
export function registerServiceWorker(opts: { onOpen: (url: string) => void; onPush?: (m: SwToWindow) => void }) {
  if (!('serviceWorker' in navigator) || !import.meta.env.PROD) return;
  navigator.serviceWorker.addEventListener('message', (event: MessageEvent<SwToWindow>) => {
    if (event.origin !== window.location.origin && event.origin !== '') return;
    const m = event.data;
    if (m?.type === 'slotcast:open') opts.onOpen(m.url);
    else if (m?.type === 'slotcast:push') opts.onPush?.(m);
  });
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/service-worker.js', { scope: '/' }).catch(() => {
      // No service worker (private mode, an old browser): the app works, without push or an offline shell.
    });
  });
}
