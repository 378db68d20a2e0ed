import { AnalyticsApi } from './analytics-api.js';
import { AuthApi } from './auth-api.js';
import { BookingsApi } from './bookings-api.js';
import { ResourcesApi, VendorsApi } from './catalog-api.js';
import type { Clock } from './clock.js';
import { HttpTransport, type RetryOptions } from './http-transport.js';
import { NotificationsApi } from './notifications-api.js';
import { TokenManager, type TokenManagerOptions } from './token-manager.js';
import type { TokenStorage } from './token-storage.js';

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
}

/** The typed REST client for /api/v1. Its TokenManager (`tokens`) is what RealtimeClient authenticates with. */
export class ApiClient {
  readonly tokens: TokenManager;
  readonly auth: AuthApi;
  readonly vendors: VendorsApi;
  readonly resources: ResourcesApi;
  readonly bookings: BookingsApi;
  readonly notifications: NotificationsApi;
  readonly analytics: AnalyticsApi;
  readonly http: HttpTransport;

  constructor(opts: ApiClientOptions) {
    this.http = new HttpTransport(opts);
    this.tokens = new TokenManager({
      ...opts.tokenOptions,
      refresh: AuthApi.refresher(this.http),
      storage: opts.tokenStorage,
      clock: opts.clock,
    });
    this.http.useTokens(this.tokens);
    this.auth = new AuthApi(this.http, this.tokens);
    this.vendors = new VendorsApi(this.http);
    this.resources = new ResourcesApi(this.http);
    this.bookings = new BookingsApi(this.http);
    this.notifications = new NotificationsApi(this.http);
    this.analytics = new AnalyticsApi(this.http);
  }
}
