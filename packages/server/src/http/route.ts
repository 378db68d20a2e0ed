import { createHash } from 'node:crypto';
import {
  API_PREFIX,
  DETAILS,
  type RouteBody,
  type RouteDef,
  type RouteParams,
  type RouteQuery,
  type RouteResponse,
  SlotcastError,
} from '@slotcast/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import stringify from 'safe-stable-stringify';
import type { Caller } from '../usecases/actor.js';
import type { Idempotency } from '../usecases/mutation.js';
import { addToDocument, type OpenApiDocument } from './openapi.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook of every API route; null for an anonymous request to a public route. */
    caller: Caller | null;
    /** The body as sent, before the schema's defaults and transforms: what an Idempotency-Key is bound to. */
    sentBody: unknown;
  }
}

/** What a handler gets: input parsed by the route's schemas, and a caller that is non-null where auth is required. */
export interface HandlerContext<R extends RouteDef> {
  params: RouteParams<R>;
  query: RouteQuery<R>;
  body: RouteBody<R>;
  caller: R['auth'] extends 'required' ? Caller : Caller | null;
  /** The Idempotency-Key of an idempotent route, when the client sent one. */
  idempotency: Idempotency | null;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface HandlerResult<T> {
  /** Default: the route's response status. */
  statusCode?: number;
  body?: T;
  /** Answered from the idempotency record: sets `Idempotent-Replayed: true`. */
  replayed?: boolean;
}

export type RouteHandler<R extends RouteDef> = (ctx: HandlerContext<R>) => Promise<HandlerResult<RouteResponse<R>>>;

export type Authenticate = (request: FastifyRequest) => Promise<Caller | null>;

export interface RouteDeps {
  doc: OpenApiDocument;
  authenticate: Authenticate;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,200}$/;

/**
 * Registers the handler of a protocol route. Fastify validates params, query and body with the route's schemas
 * (see validate.ts) and serialises the response with its response schema; the route lands in OpenAPI.
 */
export function registerRoute<R extends RouteDef>(
  app: FastifyInstance,
  deps: RouteDeps,
  route: R,
  handler: RouteHandler<R>,
): void {
  addToDocument(deps.doc, route);
  const { schema: responseSchema } = route.response;
  app.route({
    method: route.method,
    url: `${API_PREFIX}${route.path}`,
    schema: {
      ...(route.params ? { params: route.params } : {}),
      ...(route.query ? { querystring: route.query } : {}),
      ...(route.body ? { body: route.body } : {}),
      ...(responseSchema ? { response: { [route.response.status]: responseSchema } } : {}),
    },
    // Before the body is read: a request that may not run is refused without parsing what it sent.
    onRequest: async (request) => {
      const caller = await deps.authenticate(request);
      if (route.auth === 'required' && !caller) throw new SlotcastError('AUTH_REQUIRED');
      request.caller = caller;
    },
    ...(route.idempotent
      ? {
          preValidation: async (request: FastifyRequest) => {
            request.sentBody = request.body;
          },
        }
      : {}),
    handler: async (request, reply) => {
      const ctx = {
        params: request.params ?? {},
        query: request.query ?? {},
        body: request.body,
        caller: request.caller,
        idempotency: route.idempotent ? idempotencyOf(request) : null,
        request,
        reply,
      } as HandlerContext<R>;
      const out = await handler(ctx);
      if (out.replayed) reply.header('idempotent-replayed', 'true');
      reply.code(out.statusCode ?? route.response.status);
      if (route.response.html) reply.type('text/html; charset=utf-8');
      return out.body ?? null;
    },
  });
}

function idempotencyOf(request: FastifyRequest): Idempotency | null {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return null;
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)) {
    throw new SlotcastError('IDEMPOTENCY_KEY_INVALID', DETAILS.idempotencyKeyFormat());
  }
  if (!request.caller) return null;
  const path = request.url.split('?')[0]!;
  // Sorted keys: the same body in another key order is the same request.
  const requestHash = createHash('sha256')
    .update(`${request.method} ${path}\n${stringify(request.sentBody ?? null)}`)
    .digest('base64url');
  return { userId: request.caller.userId, key, method: request.method, path, requestHash };
}

/** `handle(ROUTES.x, handler)` for a group of routes sharing the app and its dependencies. */
export function routeHandlers(app: FastifyInstance, deps: RouteDeps) {
  return <R extends RouteDef>(route: R, handler: RouteHandler<R>) => registerRoute(app, deps, route, handler);
}
