import type { AttentionRow, OfflineSession, QueuedAction } from '@slotcast/client';

export interface OfflineSnapshot {
  /** The cache was read into the live stores (or there is no cache): screens may render. */
  readonly hydrated: boolean;
  readonly pending: readonly QueuedAction[];
  readonly attention: readonly AttentionRow[];
  /** When the data was last known to match the server (ms). */
  readonly syncedAt: number | null;
  /** Connected, and still replaying or reloading what was missed. */
  readonly catchingUp: boolean;
}

const EMPTY: OfflineSnapshot = { hydrated: false, pending: [], attention: [], syncedAt: null, catchingUp: false };

/** The offline state the UI shows, as an external store (useSyncExternalStore); refreshed from IndexedDB on change. */
export class OfflineStatusStore {
  private snapshot: OfflineSnapshot = EMPTY;
  private readonly listeners = new Set<() => void>();

  private offline: OfflineSession | null = null;

  /** `expectStore`: an offline store will be connected (screens wait for it to be read before they say "loading"). */
  constructor(expectStore: boolean) {
    if (!expectStore) this.snapshot = { ...EMPTY, hydrated: true };
  }

  /** The store, once its code is loaded and it is open. */
  connect(offline: OfflineSession): void {
    this.offline = offline;
  }

  readonly getSnapshot = (): OfflineSnapshot => this.snapshot;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  set(patch: Partial<OfflineSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const l of [...this.listeners]) l();
  }

  private reading: Promise<void> | null = null;
  private again = false;

  /**
   * Re-reads the outbox and the attention list (after a change here or in another tab). A flush changes the outbox
   * several times per action: changes that arrive during a read are folded into one more read after it.
   */
  async refresh(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = (async () => {
      do {
        this.again = false;
        await this.read();
      } while (this.again);
    })().finally(() => {
      this.reading = null;
    });
    return this.reading;
  }

  private async read(): Promise<void> {
    if (!this.offline) return;
    try {
      const [pending, attention, syncedAt] = await Promise.all([
        this.offline.queue.pending(),
        this.offline.queue.attention(),
        this.offline.cache.syncedAt(),
      ]);
      this.set({ pending, attention, syncedAt });
    } catch {
      // The database was closed (sign-out) while reading: nothing to show any more.
    }
  }
}
