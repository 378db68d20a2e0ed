import { registerSW } from 'virtual:pwa-register';

type Listener = () => void;

/**
 * The service worker's update, as a small external store: `ready` once a new version waits; `reload()` lets it take
 * over and reloads. Not automatic: the outbox lives in IndexedDB and survives, but a form half filled in would not.
 */
class ServiceWorkerUpdate {
  ready = false;
  private update: ((reload?: boolean) => Promise<void>) | null = null;
  private readonly listeners = new Set<Listener>();

  start(): void {
    if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
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
