import { createHash } from 'node:crypto';
import { API_PREFIX, ERRORS, SlotcastError } from '@slotcast/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Caller } from '../usecases/actor.js';
import type { Idempotency } from '../usecases/mutation.js';
import type { OpenApiDocument } from './openapi.js';
import { PROBLEM_JSON } from './problem.js';
import { parse } from './validate.js';

export interface RouteSpec<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType> {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path below /api/v1, Fastify style (`/bookings/:id`). */
  url: string;
  summary: string;
  tag: string;
  auth: 'public' | 'required';
  body?: B;
  query?: Q;
  params?: P;
  /** Accepts an Idempotency-Key header. */
  idempotent?: boolean;
  response: { status: number; schema: z.ZodType | null; description: string };
  errors: (keyof typeof ERRORS)[];
}

export interface HandlerContext<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  caller: Caller | null;
  idempotency: Idempotency | null;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface HandlerResult {
  statusCode?: number;
  body?: unknown;
  replayed?: boolean;
}

export type Authenticate = (request: FastifyRequest) => Promise<Caller | null>;

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,200}$/;
/** What Fastify itself answers to a request body it cannot take. */
const BODY_ERRORS = ['MALFORMED_JSON', 'UNSUPPORTED_MEDIA_TYPE', 'PAYLOAD_TOO_LARGE'] as const;

/** Registers a route whose input is parsed with the protocol's schemas and whose description lands in OpenAPI. */
export function defineRoute<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType>(
  app: FastifyInstance,
  deps: { doc: OpenApiDocument; authenticate: Authenticate },
  spec: RouteSpec<B, Q, P>,
  handler: (ctx: HandlerContext<z.output<B>, z.output<Q>, z.output<P>>) => Promise<HandlerResult>,
): void {
  addToDocument(deps.doc, spec);
  app.route({
    method: spec.method,
    url: `${API_PREFIX}${spec.url}`,
    handler: async (request, reply) => {
      const caller = await deps.authenticate(request);
      if (spec.auth === 'required' && !caller) throw new SlotcastError('AUTH_REQUIRED');
      const params = spec.params ? parse(spec.params, request.params, 'params') : ({} as z.output<P>);
      const query = spec.query ? parse(spec.query, request.query, 'query') : ({} as z.output<Q>);
      if (spec.body && request.body === undefined) {
        throw new SlotcastError('VALIDATION_FAILED', 'A JSON body is required', {
          errors: [{ path: 'body', message: 'required' }],
        });
      }
      const body = spec.body ? parse(spec.body, request.body, 'body') : ({} as z.output<B>);
      const idempotency = spec.idempotent ? idempotencyOf(request, caller) : null;
      const out = await handler({ body, query, params, caller, idempotency, request, reply });
      if (out.replayed) reply.header('idempotent-replayed', 'true');
      reply.code(out.statusCode ?? spec.response.status);
      return out.body ?? null;
    },
  });
}

function idempotencyOf(request: FastifyRequest, caller: Caller | null): Idempotency | null {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return null;
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)) {
    throw new SlotcastError('IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key must be 8 to 200 visible ASCII characters');
  }
  if (!caller) return null;
  const path = request.url.split('?')[0]!;
  const requestHash = createHash('sha256')
    .update(`${request.method} ${path}\n${canonicalJson(request.body)}`)
    .digest('base64url');
  return { userId: caller.userId, key, method: request.method, path, requestHash };
}

/** JSON with sorted keys, so the same body in another key order is the same request. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

function addToDocument(doc: OpenApiDocument, spec: RouteSpec<z.ZodType, z.ZodType, z.ZodType>) {
  const path = `${API_PREFIX}${spec.url.replace(/:(\w+)/g, '{$1}')}`;
  const parameters: unknown[] = [];
  for (const [where, schema] of [
    ['path', spec.params],
    ['query', spec.query],
  ] as const) {
    if (!schema) continue;
    const json = toJson(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, s] of Object.entries(json.properties ?? {})) {
      parameters.push({
        name,
        in: where,
        required: where === 'path' || (json.required ?? []).includes(name),
        schema: s,
      });
    }
  }
  if (spec.idempotent) {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'Retrying with the same key and body returns the first response; another body is refused (422).',
      schema: { type: 'string', minLength: 8, maxLength: 200 },
    });
  }
  const responses: Record<string, unknown> = {
    [spec.response.status]: {
      description: spec.response.description,
      ...(spec.response.schema
        ? { content: { 'application/json': { schema: toJson(spec.response.schema, 'output') } } }
        : {}),
    },
  };
  // What every route can answer, besides its own errors: a bad or expired token is refused even on public routes.
  const codes = new Set<keyof typeof ERRORS>([
    'VALIDATION_FAILED',
    'AUTH_TOKEN_INVALID',
    'AUTH_TOKEN_EXPIRED',
    'SERVICE_UNAVAILABLE',
    'HEADERS_TOO_LARGE',
    'INTERNAL',
    ...spec.errors,
  ]);
  if (spec.auth === 'required') codes.add('AUTH_REQUIRED');
  if (spec.params) codes.add('URI_TOO_LONG');
  if (spec.body) for (const code of BODY_ERRORS) codes.add(code);
  if (spec.idempotent) codes.add('IDEMPOTENCY_KEY_INVALID');
  for (const code of codes) {
    const status = String(ERRORS[code].status);
    const entry = (responses[status] ??= {
      description: '',
      'x-problem-codes': [],
      content: { [PROBLEM_JSON]: { schema: { $ref: '#/components/schemas/Problem' } } },
    }) as { description: string; 'x-problem-codes': string[] };
    entry.description = entry.description ? `${entry.description}, ${code}` : code;
    entry['x-problem-codes'].push(code);
  }
  const operation = {
    summary: spec.summary,
    tags: [spec.tag],
    operationId: `${spec.method.toLowerCase()}${spec.url.replace(/[/:-](\w)/g, (_, c: string) => c.toUpperCase())}`,
    ...(spec.auth === 'required' ? { security: [{ bearer: [] }] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(spec.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: toJson(spec.body, 'input') } } } }
      : {}),
    responses,
  };
  const item = (doc.paths[path] ??= {});
  item[spec.method.toLowerCase()] = operation;
}

function toJson(schema: z.ZodType, io: 'input' | 'output'): unknown {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as Record<string, unknown>;
  return rest;
}
