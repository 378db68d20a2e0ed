import { registerSW } from 'virtual:pwa-register';
import type { SwToWindow } from '../sw/push.js';

type Listener = () => void;

/**
 * The one registration of the service worker (offline shell and push), and its update, as a small external store: `ready` once a new version waits; `reload()` lets it take
 * over and reloads. Not automatic: the outbox lives in IndexedDB and survives, but a form half filled in would not.
 */
class ServiceWorkerUpdate {
  ready = false;
  private update: ((reload?: boolean) => Promise<void>) | null = null;
  private readonly listeners = new Set<Listener>();

  /** `onOpen`: the worker asks an open window to show a page (a notification was clicked while the app was open). */
  start(opts: { onOpen: (url: string) => void }): void {
    if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
    navigator.serviceWorker.addEventListener('message', (event: MessageEvent<SwToWindow>) => {
      if (event.origin !== window.location.origin && event.origin !== '') return;
      if (event.data?.type === 'slotcast:open') opts.onOpen(event.data.url);
    });
    this.update = registerSW({
      immediate: true,
      onNeedRefresh: () => {
        this.ready = true;
        for (const l of [...this.listeners]) l();
      },
    });
  }

  readonly subscribe = (l: Listener): (() => void) => {
    this.listeners.add(l);
    return () => {
      this.listeners.delete(l);
    };
  };

  readonly getSnapshot = (): boolean => this.ready;

  reload(): void {
    void this.update?.(true);
  }
}

export const serviceWorkerUpdate = new ServiceWorkerUpdate();
