import { API_PREFIX, ERRORS, type ErrorCode, type RouteDef } from '@slotcast/protocol';
import { z } from 'zod';
import { PROBLEM_JSON } from './problem.js';

/** What Fastify itself answers to a request body it cannot take. */
const BODY_ERRORS = ['MALFORMED_JSON', 'UNSUPPORTED_MEDIA_TYPE', 'PAYLOAD_TOO_LARGE'] as const;
/** What a route with `form: true` reads (RFC 8058 one-click unsubscribe posts either). */
export const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'] as const;

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, unknown>>;
  components: Record<string, unknown>;
}

/** The document starts empty; registerRoute() adds each protocol route as it is registered. */
export function newOpenApiDocument(): OpenApiDocument {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Slotcast API',
      // The HTTP API's version (its prefix), not the socket protocol's: protocol 2 changed only `events` frames.
      version: API_PREFIX.slice('/api/v'.length),
      description:
        'Bookings that cannot double-book. Errors are application/problem+json (RFC 9457) with a stable `code`. ' +
        'Changes to a booking carry its expected `version`; creating and changing accept an `Idempotency-Key`.',
    },
    paths: {},
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'code'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            code: { type: 'string', enum: Object.keys(ERRORS) },
            detail: { type: 'string' },
            instance: { type: 'string' },
            errors: {
              type: 'array',
              items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
            },
          },
        },
      },
    },
  };
}

/** Describes a protocol route in the document: parameters, body, response and the problem codes it may answer. */
export function addToDocument(doc: OpenApiDocument, route: RouteDef) {
  const path = `${API_PREFIX}${route.path.replace(/:(\w+)/g, '{$1}')}`;
  const parameters: unknown[] = [];
  for (const [where, schema] of [
    ['path', route.params],
    ['query', route.query],
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
  if (route.idempotent) {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'Retrying with the same key and body returns the first response; another body is refused (422).',
      schema: { type: 'string', minLength: 8, maxLength: 200 },
    });
  }
  const responses: Record<string, unknown> = {
    [route.response.status]: {
      description: route.response.description,
      ...(route.response.schema
        ? { content: { 'application/json': { schema: toJson(route.response.schema, 'output') } } }
        : route.response.html
          ? { content: { 'text/html': { schema: { type: 'string' } } } }
          : {}),
    },
  };
  // What every route can answer, besides its own errors: a bad or expired token is refused even on public routes.
  const codes = new Set<ErrorCode>([
    'VALIDATION_FAILED',
    'AUTH_TOKEN_INVALID',
    'AUTH_TOKEN_EXPIRED',
    'SERVICE_UNAVAILABLE',
    'HEADERS_TOO_LARGE',
    'INTERNAL',
    ...route.errors,
  ]);
  if (route.auth === 'required') codes.add('AUTH_REQUIRED');
  if (route.params) codes.add('URI_TOO_LONG');
  if (route.body) for (const code of BODY_ERRORS) codes.add(code);
  if (route.idempotent) codes.add('IDEMPOTENCY_KEY_INVALID');
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
    summary: route.summary,
    tags: [route.tag],
    operationId: `${route.method.toLowerCase()}${route.path.replace(/[/:-](\w)/g, (_, c: string) => c.toUpperCase())}`,
    ...(route.auth === 'required' ? { security: [{ bearer: [] }] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: Object.fromEntries(
              (route.form ? FORM_TYPES : ['application/json']).map((type) => [
                type,
                { schema: toJson(route.body!, 'input') },
              ]),
            ),
          },
        }
      : {}),
    responses,
  };
  const item = (doc.paths[path] ??= {});
  item[route.method.toLowerCase()] = operation;
}

function toJson(schema: z.ZodType, io: 'input' | 'output'): unknown {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as Record<string, unknown>;
  return rest;
}
