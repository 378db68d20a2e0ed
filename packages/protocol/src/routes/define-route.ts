import type { z } from 'zod';
import type { ErrorCode } from '../errors.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/**
 * One REST route, written once: the server registers it (validation, serialisation, OpenAPI) and the SDK derives its
 * method from it. Schemas are the protocol's zod schemas; `path` is below /api/v1, Fastify style (`/bookings/:id`).
 */
export interface RouteDef {
  method: HttpMethod;
  path: string;
  summary: string;
  /** OpenAPI tag. */
  tag: string;
  /** `required`: the handler gets a caller, anonymous requests are refused with 401 AUTH_REQUIRED. */
  auth: 'public' | 'required';
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The body is a form (application/x-www-form-urlencoded or multipart/form-data), not JSON. */
  form?: true;
  /** Accepts an Idempotency-Key header: a retry with the same key and body returns the first response. */
  idempotent?: boolean;
  /** Idempotent by nature (no key needed): the SDK may send it again when the answer was lost. */
  safeToRetry?: boolean;
  /**
   * The success response; `schema: null` for a response without a body (204). `html: true` (with `schema: null`):
   * a small page for a person who followed a link, not JSON; the handler returns its text.
   */
  response: { status: number; schema: z.ZodType | null; description: string; html?: true };
  /** What this route answers besides the codes every route can answer (validation, token, unavailable). */
  errors: readonly ErrorCode[];
}

/** Keeps the literal types of a route (method, path, schemas) so server and SDK can infer from them. */
export function defineRoute<const R extends RouteDef>(route: R): R {
  return route;
}

type Output<S> = S extends z.ZodType ? z.output<S> : undefined;
type Input<S> = S extends z.ZodType ? z.input<S> : undefined;

/** `/bookings/:id/:action` → `{ id: string; action: string }`. */
export type PathParams<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? { [K in Name]: string } & PathParams<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? { [K in Name]: string }
    : Record<never, never>;

/** What a handler receives, parsed (server side). */
export type RouteParams<R extends RouteDef> = R['params'] extends z.ZodType
  ? z.output<R['params']>
  : Record<never, never>;
export type RouteQuery<R extends RouteDef> = R['query'] extends z.ZodType ? z.output<R['query']> : Record<never, never>;
export type RouteBody<R extends RouteDef> = Output<R['body']>;
/** What a handler returns and a client receives. */
export type RouteResponse<R extends RouteDef> = R['response'] extends { html: true }
  ? string
  : R['response']['schema'] extends z.ZodType
    ? z.output<R['response']['schema']>
    : undefined;
/** What a client sends (before defaults and transforms). */
export type RouteBodyInput<R extends RouteDef> = Input<R['body']>;
export type RouteQueryInput<R extends RouteDef> = Input<R['query']>;

/** The path of a route with its parameters filled in (each one URI-encoded). */
export function routePath(route: Pick<RouteDef, 'path'>, params: Record<string, string> = {}): string {
  return route.path.replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${route.path}: missing path parameter ${name}`);
    return encodeURIComponent(value);
  });
}
