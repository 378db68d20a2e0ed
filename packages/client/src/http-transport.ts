import {
  API_PREFIX,
  type PathParams,
  type RouteBodyInput,
  type RouteDef,
  type RouteResponse,
  routePath,
} from '@slotcast/protocol';
import type { z } from 'zod';
import { backoffDelay, parseRetryAfter } from './backoff.js';
import { type Clock, sleep, systemClock } from './clock.js';
import { localProblem, SlotcastApiError, SlotcastNetworkError, SlotcastProtocolError, toProblem } from './errors.js';
import { randomKey } from './random-key.js';
import type { TokenManager } from './token-manager.js';

export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  maxRetries?: number;
  baseMs?: number;
  capMs?: number;
  /** A Retry-After longer than this is not waited for: the error is thrown with `retryAfterMs` (default 30 s). */
  maxRetryAfterMs?: number;
  random?: () => number;
}

export interface HttpTransportOptions {
  /** The server's origin (`https://book.example.com`); empty for the page's own origin. */
  baseUrl: string;
  fetch?: typeof fetch;
  clock?: Clock;
  retry?: RetryOptions;
  /** Makes Idempotency-Key values (default: a random UUID). */
  newIdempotencyKey?: () => string;
  /** Sent with every request (e.g. a client version header). */
  headers?: Record<string, string>;
}

export type QueryValue = string | number | boolean | readonly string[] | undefined;

export interface RequestSpec<T> {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Below /api/v1. */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  auth: boolean;
  /** Parses the response body; null for responses without one (204). */
  schema: z.ZodType<T> | null;
  /**
   * Sending it again cannot apply it twice — the server deduplicates it by Idempotency-Key, or it is idempotent by
   * nature — so it is re-sent when the answer was lost. Without this, a write is not retried after a network error:
   * the first send may have been applied.
   */
  safeToResend?: boolean;
  /** Reuse the key of an earlier attempt at the same logical action. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/** What `call` sends for a route: its path parameters and body are required exactly when the route has them. */
export type CallInput<R extends RouteDef> = (keyof PathParams<R['path']> extends never
  ? { params?: undefined }
  : { params: PathParams<R['path']> }) &
  (R['body'] extends z.ZodType ? { body: RouteBodyInput<R> } : { body?: undefined }) & {
    /** Query parameters; arrays are sent comma-separated. */
    query?: Record<string, QueryValue>;
  };

export interface CallOptions {
  signal?: AbortSignal;
  /** Reuse the key of an earlier attempt at the same logical action. */
  idempotencyKey?: string;
  /** Send the access token to a public route, for what it answers a signed-in caller only (availability's `moving`). */
  auth?: boolean;
}

/** Sends one logical request: auth header, Idempotency-Key, bounded retries, problem+json to SlotcastApiError. */
export class HttpTransport {
  private readonly fetchImpl: typeof fetch;
  private readonly clock: Clock;
  private readonly retry: Required<Omit<RetryOptions, 'random'>> & { random?: () => number };
  private readonly newKey: () => string;
  private tokens: TokenManager | null = null;

  constructor(private readonly opts: HttpTransportOptions) {
    // Unbound window.fetch throws "Illegal invocation" in browsers.
    this.fetchImpl = opts.fetch ?? globalThis.fetch.bind(globalThis);
    this.clock = opts.clock ?? systemClock;
    this.retry = {
      maxRetries: opts.retry?.maxRetries ?? 3,
      baseMs: opts.retry?.baseMs ?? 300,
      capMs: opts.retry?.capMs ?? 5_000,
      maxRetryAfterMs: opts.retry?.maxRetryAfterMs ?? 30_000,
      random: opts.retry?.random,
    };
    this.newKey = opts.newIdempotencyKey ?? randomKey;
  }

  useTokens(tokens: TokenManager): void {
    this.tokens = tokens;
  }

  url(path: string, query?: Record<string, QueryValue>): string {
    const base = this.opts.baseUrl.replace(/\/+$/, '');
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      params.set(name, Array.isArray(value) ? value.join(',') : String(value));
    }
    const qs = params.toString();
    return `${base}${API_PREFIX}${path}${qs ? `?${qs}` : ''}`;
  }

  /**
   * Calls a protocol route: method, path, auth and the response schema come from the route object. Routes that take an
   * Idempotency-Key or are idempotent by nature are re-sent when the answer was lost.
   */
  call<R extends RouteDef>(route: R, input: CallInput<R>, opts: CallOptions = {}): Promise<RouteResponse<R>> {
    return this.request({
      method: route.method,
      path: routePath(route, input.params as Record<string, string> | undefined),
      query: input.query,
      body: input.body,
      auth: route.auth === 'required',
      schema: route.response.schema as z.ZodType<RouteResponse<R>> | null,
      safeToResend: route.idempotent === true || route.safeToRetry === true,
      ...opts,
    });
  }

  async request<T>(spec: RequestSpec<T>): Promise<T> {
    const mutating = spec.method !== 'GET';
    // One key per logical action: every retry below sends the same one, so the server applies the action once.
    const idempotencyKey = mutating ? (spec.idempotencyKey ?? this.newKey()) : undefined;
    const mayResend = !mutating || spec.safeToResend === true;
    const url = this.url(spec.path, spec.query);
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    let retries = 0;
    let refreshed = false;

    for (;;) {
      const token = spec.auth ? await this.accessToken() : null;
      const headers: Record<string, string> = {
        accept: 'application/json, application/problem+json',
        ...this.opts.headers,
      };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (token) headers.authorization = `Bearer ${token}`;
      if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;

      let res: Response;
      try {
        res = await this.fetchImpl(url, { method: spec.method, headers, body, signal: spec.signal });
      } catch (err) {
        if (spec.signal?.aborted) throw err;
        // A device that knows it is offline gets the error at once: a retry within seconds cannot help, and callers
        // with something to show meanwhile (the offline store, the outbox) take over sooner. Online again, they retry.
        if (mayResend && retries < this.retry.maxRetries && !deviceOffline()) {
          retries++;
          await sleep(this.clock, this.backoff(retries), spec.signal);
          continue;
        }
        throw new SlotcastNetworkError(
          `${spec.method} ${spec.path}: ${(err as Error)?.message ?? 'network error'}`,
          err,
        );
      }

      if (res.ok) return this.parse(spec, res);

      const problem = toProblem(res.status, await readJson(res));
      const retryAfterMs =
        parseRetryAfter(res.headers.get('retry-after'), this.clock.now()) ??
        (typeof problem.retryAfterMs === 'number' ? problem.retryAfterMs : null);
      const error = new SlotcastApiError(problem, { retryAfterMs });

      if (res.status === 401 && token && this.tokens) {
        if (problem.code === 'AUTH_TOKEN_EXPIRED' && !refreshed) {
          // An expired token means the request was not applied: sending it again with a fresh token is safe.
          refreshed = true;
          await this.tokens.recoverFromExpired(token);
          continue;
        }
        if (problem.code === 'AUTH_TOKEN_INVALID') await this.tokens.signOut('token-invalid', error);
      }

      // 503 and 429 are refusals before any work, so even a non-deduplicated request may be sent again.
      if ((res.status === 503 || res.status === 429) && retries < this.retry.maxRetries) {
        const delay = retryAfterMs ?? this.backoff(retries + 1);
        if (delay <= this.retry.maxRetryAfterMs) {
          retries++;
          await sleep(this.clock, delay, spec.signal);
          continue;
        }
      }
      throw error;
    }
  }

  private async accessToken(): Promise<string> {
    const token = this.tokens ? await this.tokens.getAccessToken() : null;
    if (!token) throw new SlotcastApiError(localProblem('AUTH_REQUIRED', 'Not signed in'));
    return token;
  }

  private backoff(attempt: number): number {
    return backoffDelay(attempt, this.retry);
  }

  private async parse<T>(spec: RequestSpec<T>, res: Response): Promise<T> {
    if (!spec.schema) {
      await res.body?.cancel();
      return undefined as T;
    }
    const json = await readJson(res);
    const parsed = spec.schema.safeParse(json);
    if (!parsed.success) {
      throw new SlotcastProtocolError(
        `${spec.method} ${spec.path}: the response does not match the protocol`,
        parsed.error.issues.map((i) => ({ path: i.path, message: i.message })),
      );
    }
    return parsed.data;
  }
}

async function readJson(res: Response): Promise<unknown> {
  const text = await res.text().catch(() => '');
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The browser says there is no network at all (navigator.onLine is reliable when false); never true in Node. */
function deviceOffline(): boolean {
  return (globalThis as { navigator?: { onLine?: boolean } }).navigator?.onLine === false;
}
