import { Session, User } from '@slotcast/protocol';
import { browserLocalStorage, type MaybePromise, type StorageLike } from './web-storage.js';

/** Where the signed-in session (access and refresh token, user) is kept between page loads. */
export interface TokenStorage {
  load(): MaybePromise<Session | null>;
  save(pair: Session): MaybePromise<void>;
  clear(): MaybePromise<void>;
}

export class MemoryTokenStorage implements TokenStorage {
  private pair: Session | null = null;
  load(): Session | null {
    return this.pair;
  }
  save(pair: Session): void {
    this.pair = pair;
  }
  clear(): void {
    this.pair = null;
  }
}

/**
 * Keeps the session in localStorage (or any StorageLike), so it survives reloads and is shared by the tabs of an
 * origin. Anything that runs script on the origin can read it: keep the origin free of third-party script.
 */
export class LocalStorageTokenStorage implements TokenStorage {
  private readonly storage: StorageLike;
  private readonly key: string;

  constructor(opts: { storage?: StorageLike; key?: string } = {}) {
    const storage = opts.storage ?? browserLocalStorage();
    if (!storage) throw new Error('LocalStorageTokenStorage: no localStorage here; pass `storage`');
    this.storage = storage;
    this.key = opts.key ?? 'slotcast:session';
  }

  load(): Session | null {
    const raw = this.storage.getItem(this.key);
    if (!raw) return null;
    try {
      const parsed = Session.safeParse(JSON.parse(raw));
      // A value from an older SDK or edited by hand is dropped rather than trusted.
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }
  save(pair: Session): void {
    this.storage.setItem(this.key, JSON.stringify(pair));
  }
  clear(): void {
    this.storage.removeItem(this.key);
  }
}

/**
 * Who was signed in last on this device: the user record only, never a token. With the refresh token in an HttpOnly
 * cookie and the access token in memory, a page loaded with no network cannot ask the server who the user is; this
 * lets it open the user's offline store anyway. The server decides at the next refresh whether the session holds.
 */
export class LastUserRecord {
  constructor(
    private readonly storage: StorageLike | null = browserLocalStorage(),
    private readonly key = 'slotcast:last-user',
  ) {}

  load(): User | null {
    const raw = this.storage?.getItem(this.key);
    if (!raw) return null;
    try {
      const parsed = User.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }
  save(user: User): void {
    this.storage?.setItem(this.key, JSON.stringify(user));
  }
  clear(): void {
    this.storage?.removeItem(this.key);
  }
}
