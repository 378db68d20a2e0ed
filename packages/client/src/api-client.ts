import { SESSION_MODE_HEADER, type Session } from '@slotcast/protocol';
import { AnalyticsApi } from './analytics-api.js';
import { AuthApi } from './auth-api.js';
import { BookingsApi } from './bookings-api.js';
import { ResourcesApi, VendorsApi } from './catalog-api.js';
import type { Clock } from './clock.js';
import { SlotcastNetworkError } from './errors.js';
import { HttpTransport, type RetryOptions } from './http-transport.js';
import { NotificationsApi } from './notifications-api.js';
import { ProfileApi } from './profile-api.js';
import { PushApi } from './push-api.js';
import { type Refresher, TokenManager, type TokenManagerOptions } from './token-manager.js';
import { LastUserRecord, MemoryTokenStorage, type TokenStorage } from './token-storage.js';

export interface ApiClientOptions {
  /** The server's origin (`https://book.example.com`); empty string for the page's own origin. */
  baseUrl: string;
  /** Where the session is kept (default: memory). Use LocalStorageTokenStorage in browsers. */
  tokenStorage?: TokenStorage;
  /** Further TokenManager settings (refresh skew, timer). */
  tokenOptions?: Omit<TokenManagerOptions, 'refresh' | 'storage' | 'clock'>;
  fetch?: typeof fetch;
  clock?: Clock;
  retry?: RetryOptions;
  newIdempotencyKey?: () => string;
  headers?: Record<string, string>;
  /**
   * `cookie` (browsers): the refresh token stays in the server's HttpOnly cookie, the access token in memory only,
   * and a page load signs in again through the cookie; `tokenStorage` is ignored. `body` (default; Node, load
   * tests): both tokens come in response bodies and are kept in `tokenStorage`.
   */
  session?: 'body' | 'cookie';
}

/** The typed REST client for /api/v1. Its TokenManager (`tokens`) is what RealtimeClient authenticates with. */
export class ApiClient {
  readonly tokens: TokenManager;
  readonly auth: AuthApi;
  readonly vendors: VendorsApi;
  readonly resources: ResourcesApi;
  readonly bookings: BookingsApi;
  readonly notifications: NotificationsApi;
  readonly push: PushApi;
  readonly profile: ProfileApi;
  readonly analytics: AnalyticsApi;
  readonly http: HttpTransport;

  constructor(opts: ApiClientOptions) {
    const cookie = opts.session === 'cookie';
    // The header asks for the cookie flow and is what lets the server read the cookie (CSRF: a cross-site form
    // cannot send it).
    this.http = new HttpTransport(
      cookie ? { ...opts, headers: { ...opts.headers, [SESSION_MODE_HEADER]: 'cookie' } } : opts,
    );
    const refresh = AuthApi.refresher(this.http);
    const lastUser = new LastUserRecord();
    this.tokens = new TokenManager({
      ...opts.tokenOptions,
      refresh,
      storage: cookie ? new MemoryTokenStorage() : opts.tokenStorage,
      restore: cookie ? () => restoreFromCookie(refresh, lastUser) : undefined,
      clock: opts.clock,
    });
    // The user record (no token) follows the session, so an offline page load knows whose store to open.
    if (cookie) this.tokens.on('change', (pair) => (pair ? lastUser.save(pair.user) : lastUser.clear()));
    this.http.useTokens(this.tokens);
    this.auth = new AuthApi(this.http, this.tokens);
    this.vendors = new VendorsApi(this.http);
    this.resources = new ResourcesApi(this.http);
    this.bookings = new BookingsApi(this.http);
    this.notifications = new NotificationsApi(this.http);
    this.push = new PushApi(this.http);
    this.profile = new ProfileApi(this.http);
    this.analytics = new AnalyticsApi(this.http);
  }
}

/**
 * A page load in cookie mode: the refresh cookie names the session. With no network, the last user on this device
 * comes back with an access token that has already expired, so every request first tries to refresh (and fails as a
 * network error, which the outbox queues) until the server can be reached; a refused cookie then signs the user out.
 */
async function restoreFromCookie(refresh: Refresher, lastUser: LastUserRecord): Promise<Session | null> {
  try {
    return await refresh(undefined);
  } catch (err) {
    const user = err instanceof SlotcastNetworkError ? lastUser.load() : null;
    if (!user) throw err;
    return { user, accessToken: '', accessTokenExpiresAt: new Date(0).toISOString() };
  }
}
