import type { Session, User } from '@slotcast/protocol';
import { type Clock, systemClock, type TimerHandle } from './clock.js';
import { Emitter } from './emitter.js';
import { localProblem, SlotcastApiError } from './errors.js';
import { MemoryTokenStorage, type TokenStorage } from './token-storage.js';

export type SignOutReason = 'logout' | 'refresh-failed' | 'token-invalid' | 'session-revoked' | 'signed-out-elsewhere';

export interface TokenManagerEvents {
  /** The session changed: signed in, refreshed, or null when signed out. */
  change: Session | null;
  signedOut: { reason: SignOutReason; error?: unknown };
}

/** Exchanges a refresh token for a new pair (POST /auth/refresh); undefined = the browser's HttpOnly cookie. */
export type Refresher = (refreshToken: string | undefined) => Promise<Session>;

export interface TokenManagerOptions {
  refresh: Refresher;
  storage?: TokenStorage;
  /**
   * Finds the session when storage has none, e.g. on a page load from the HttpOnly refresh cookie (the access
   * token is kept in memory only); null when there is none.
   */
  restore?: () => Promise<Session | null>;
  clock?: Clock;
  /** Refresh this long before the access token expires (default 30 s). */
  refreshSkewMs?: number;
  /** Refresh on a timer shortly before expiry, not only when a token is asked for (default true). */
  autoRefresh?: boolean;
}

/**
 * Holds the access/refresh pair. Refreshes shortly before expiry and when the server says the token expired, one
 * refresh at a time: refresh tokens rotate and presenting a used one revokes the session, so two concurrent
 * refreshes would sign the user out.
 */
export class TokenManager {
  private pair: Session | null = null;
  private inflight: Promise<string> | null = null;
  private timer: TimerHandle | null = null;
  // Bumped by every sign-in and sign-out, so a refresh that finishes after one does not resurrect the old session.
  private generation = 0;
  private loaded = false;
  private readonly emitter = new Emitter<TokenManagerEvents>();
  private readonly storage: TokenStorage;
  private readonly clock: Clock;
  private readonly skewMs: number;
  /** The server's clock minus this device's, learnt from each pair the server issues (see `serverNow`). */
  private offsetMs = 0;
  private readonly autoRefresh: boolean;
  private readonly refresher: Refresher;
  private readonly restore?: () => Promise<Session | null>;
  /** Settles once the stored session was loaded. */
  readonly ready: Promise<void>;

  constructor(opts: TokenManagerOptions) {
    this.refresher = opts.refresh;
    this.restore = opts.restore;
    this.storage = opts.storage ?? new MemoryTokenStorage();
    this.clock = opts.clock ?? systemClock;
    this.skewMs = opts.refreshSkewMs ?? 30_000;
    this.autoRefresh = opts.autoRefresh ?? true;
    this.ready = this.load();
  }

  get session(): Session | null {
    return this.pair;
  }

  get user(): User | null {
    return this.pair?.user ?? null;
  }

  on<K extends keyof TokenManagerEvents>(event: K, listener: (payload: TokenManagerEvents[K]) => void): () => void {
    return this.emitter.on(event, listener);
  }

  /** Whether the access token is usable for at least the skew from now. */
  isFresh(pair: Session | null = this.pair): boolean {
    return pair !== null && Date.parse(pair.accessTokenExpiresAt) - this.skewMs > this.serverNow();
  }

  /**
   * Now by the server's clock, which `accessTokenExpiresAt` is in. A phone's clock may be off by more than a token's
   * life (15 minutes): read by it, a fresh token looked expired at once — every request refreshed first until the
   * server's rate limit refused — or stayed "fresh" long after it expired. So each pair the server issues tells the
   * device's offset: its access token says when it was issued (`iat`), which is about now by the server's clock.
   */
  serverNow(): number {
    return this.clock.now() + this.offsetMs;
  }

  async setSession(pair: Session): Promise<void> {
    await this.ready;
    this.generation++;
    this.learnClock(pair);
    await this.apply(pair);
  }

  /**
   * A usable access token, refreshed first when it is about to expire; null when signed out. When the refresh
   * fails for want of a network, a token that has not expired yet is still returned.
   */
  async getAccessToken(): Promise<string | null> {
    await this.ready;
    const pair = this.pair;
    if (!pair) return null;
    if (this.isFresh(pair)) return pair.accessToken;
    try {
      return await this.refresh();
    } catch (err) {
      if (this.pair === pair && Date.parse(pair.accessTokenExpiresAt) > this.serverNow()) return pair.accessToken;
      throw err;
    }
  }

  /** Refreshes now; concurrent callers share one request. Signs out when the server refuses the refresh token. */
  refresh(): Promise<string> {
    this.inflight ??= this.doRefresh().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  /**
   * The server refused `rejected` as expired. If the pair was already replaced meanwhile (a concurrent caller
   * refreshed), the new token is returned without another refresh.
   */
  async recoverFromExpired(rejected: string): Promise<string> {
    await this.ready;
    if (this.inflight) return this.inflight;
    if (this.pair && this.pair.accessToken !== rejected && this.isFresh()) return this.pair.accessToken;
    return this.refresh();
  }

  /** Forgets the session (storage too) and tells the listeners. The server-side logout is ApiClient.auth.logout. */
  async signOut(reason: SignOutReason, error?: unknown): Promise<void> {
    // Once loaded, the session is gone before this returns its promise: listeners never see a stale one.
    if (!this.loaded) await this.ready;
    const had = this.pair !== null;
    this.generation++;
    this.pair = null;
    this.clearTimer();
    const cleared = this.storage.clear();
    if (had) {
      this.emitter.emit('change', null);
      this.emitter.emit('signedOut', { reason, error });
    }
    await cleared;
  }

  /** Stops the refresh timer. */
  dispose(): void {
    this.clearTimer();
    this.generation++;
  }

  private async load(): Promise<void> {
    try {
      const kept = await this.storage.load();
      const stored = kept ?? (await this.restore?.().catch(() => null)) ?? null;
      if (stored) {
        // Restored from the server just now (a stored pair may be old: its issue time says nothing of the clock).
        if (!kept) this.learnClock(stored);
        this.pair = stored;
        // A restored session is kept like one signed into here, so a refresh does not take it for a sign-out elsewhere.
        if (!kept) await this.storage.save(stored);
        this.schedule();
      }
    } catch {
      // Unreadable storage means signed out, not a broken client.
    } finally {
      this.loaded = true;
    }
  }

  private async doRefresh(): Promise<string> {
    await this.ready;
    const generation = this.generation;
    let current = this.pair;
    if (!current) throw new SlotcastApiError(localProblem('AUTH_REQUIRED', 'Not signed in'));
    // Another tab sharing the storage may have rotated the pair: our refresh token is then spent, and presenting it
    // would revoke the session. Adopt theirs instead.
    const stored = await this.readStorage();
    if (stored === null && generation === this.generation && this.pair === current) {
      await this.signOut('signed-out-elsewhere');
      throw new SlotcastApiError(localProblem('AUTH_REQUIRED', 'Signed out in another tab'));
    }
    if (stored && stored.refreshToken !== current.refreshToken) {
      this.pair = current = stored;
      this.emitter.emit('change', stored);
      if (this.isFresh(stored)) {
        this.schedule();
        return stored.accessToken;
      }
    }
    let next: Session;
    try {
      next = await this.refresher(current.refreshToken);
    } catch (err) {
      // 401 AUTH_REFRESH_INVALID / AUTH_REFRESH_REUSED: the session is over. Anything else (offline, 503) may pass.
      if (err instanceof SlotcastApiError && err.status === 401 && generation === this.generation) {
        await this.signOut('refresh-failed', err);
      }
      throw err;
    }
    if (generation !== this.generation) {
      throw new SlotcastApiError(localProblem('AUTH_REQUIRED', 'The session changed during the refresh'));
    }
    this.learnClock(next);
    await this.apply(next);
    return next.accessToken;
  }

  /** Takes the device's offset from a pair the server has just issued (unchanged when its token says nothing). */
  private learnClock(pair: Session): void {
    const issued = issuedAt(pair.accessToken);
    if (issued !== null) this.offsetMs = issued - this.clock.now();
  }

  private async readStorage(): Promise<Session | null | undefined> {
    try {
      return await this.storage.load();
    } catch {
      return undefined;
    }
  }

  private async apply(pair: Session): Promise<void> {
    this.pair = pair;
    try {
      await this.storage.save(pair);
    } catch (err) {
      // Storage full or blocked: the session still works in this page; it just will not survive a reload.
      console.warn('slotcast: could not store the session', err);
    }
    this.schedule();
    this.emitter.emit('change', pair);
  }

  private schedule(): void {
    this.clearTimer();
    if (!this.autoRefresh || !this.pair) return;
    const due = Date.parse(this.pair.accessTokenExpiresAt) - this.skewMs - this.serverNow();
    const handle = this.clock.setTimeout(
      () => {
        this.timer = null;
        // Failures are handled where they matter: a refused refresh token signs out; offline retries on demand.
        this.refresh().catch(() => {});
      },
      // Timers overflow past 2^31−1 ms and would fire at once.
      Math.min(Math.max(0, due), 2_147_483_647),
    );
    // In Node, a pending refresh must not keep an otherwise finished process alive.
    (handle as { unref?: () => void } | null)?.unref?.();
    this.timer = handle;
  }

  private clearTimer(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}

/**
 * When a JWT access token was issued (its `iat`, epoch ms), or null when the token is not a JWT with one. Read, not
 * verified: the server verifies its tokens; the client only learns the server's time from it (to the second, which
 * the refresh's 30 s lead covers).
 */
function issuedAt(token: string): number | null {
  const payload = token.split('.')[1];
  if (payload === undefined) return null;
  try {
    const claims: unknown = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
    const iat = (claims as { iat?: unknown } | null)?.iat;
    return typeof iat === 'number' && Number.isFinite(iat) ? iat * 1000 : null;
  } catch {
    return null;
  }
}
