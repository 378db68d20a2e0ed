import { browserLocalStorage, type MaybePromise, type StorageLike } from './web-storage.js';

/**
 * Keeps the id of the last event the app processed, per user, so a reconnect (or a reload) asks the server for
 * exactly what was missed. Keys are user ids.
 */
export interface CursorStore {
  get(userId: string): MaybePromise<number | null>;
  set(userId: string, eventId: number): MaybePromise<void>;
  delete(userId: string): MaybePromise<void>;
}

export class MemoryCursorStore implements CursorStore {
  private readonly cursors = new Map<string, number>();
  get(userId: string): number | null {
    return this.cursors.get(userId) ?? null;
  }
  set(userId: string, eventId: number): void {
    this.cursors.set(userId, eventId);
  }
  delete(userId: string): void {
    this.cursors.delete(userId);
  }
}

/**
 * localStorage-backed cursors (`slotcast:cursor:<userId>`). Persist a cursor only alongside the state it describes:
 * an app that reloads its snapshot over REST at start can keep using the memory store.
 */
export class LocalStorageCursorStore implements CursorStore {
  private readonly storage: StorageLike;
  private readonly prefix: string;

  constructor(opts: { storage?: StorageLike; prefix?: string } = {}) {
    const storage = opts.storage ?? browserLocalStorage();
    if (!storage) throw new Error('LocalStorageCursorStore: no localStorage here; pass `storage`');
    this.storage = storage;
    this.prefix = opts.prefix ?? 'slotcast:cursor:';
  }

  get(userId: string): number | null {
    const raw = this.storage.getItem(this.prefix + userId);
    const n = raw === null ? Number.NaN : Number(raw);
    return Number.isSafeInteger(n) && n >= 0 ? n : null;
  }
  set(userId: string, eventId: number): void {
    this.storage.setItem(this.prefix + userId, String(eventId));
  }
  delete(userId: string): void {
    this.storage.removeItem(this.prefix + userId);
  }
}
