import type { AttentionRow, OfflineSession, OutboxChange, QueuedAction } from '@slotcast/client';

export interface OfflineSnapshot {
  /** The cache was read into the live stores (or there is no cache): screens may render. */
  readonly hydrated: boolean;
  /** Bookings from the device's store are in the live store (possibly none): a list may show them as they are. */
  readonly fromStore: boolean;
  readonly pending: readonly QueuedAction[];
  readonly attention: readonly AttentionRow[];
  /** When the data was last known to match the server (ms). */
  readonly syncedAt: number | null;
  /** Connected, and still replaying or reloading what was missed. */
  readonly catchingUp: boolean;
}

const EMPTY: OfflineSnapshot = {
  hydrated: false,
  fromStore: false,
  pending: [],
  attention: [],
  syncedAt: null,
  catchingUp: false,
};

/**
 * The offline state the UI shows, as an external store (useSyncExternalStore): read from IndexedDB at start and after
 * another tab's change; this tab's queue changes are followed as they happen (`follow`).
 */
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
  /** The outbox was read once: from then on this tab's own changes are applied without reading it again. */
  private loaded = false;

  /**
   * The queue changed. This tab's changes say what changed and are applied to the list shown, so a flush does not
   * read the outbox once per answer; another tab's (undefined), or any change while a read runs, reads it again.
   */
  follow(change: OutboxChange | undefined): void {
    if (!change || !this.loaded || this.reading) {
      void this.refresh();
      return;
    }
    let pending = this.snapshot.pending;
    if (change.removed) {
      const gone = new Set(change.removed);
      pending = pending.filter((a) => !gone.has(a.seq!));
    }
    const { state } = change;
    if (state) {
      const seqs = new Set(state.seqs);
      pending = pending.map((a) => (seqs.has(a.seq!) && a.state !== state.state ? { ...a, state: state.state } : a));
    }
    if (change.added) pending = [...pending, ...change.added];
    this.set({ pending });
  }

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
      this.loaded = true;
    } catch {
      // The database was closed (sign-out) while reading: nothing to show any more.
    }
  }
}
