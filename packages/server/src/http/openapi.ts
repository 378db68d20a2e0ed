import { ERRORS, PROTOCOL_VERSION } from '@slotcast/protocol';

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, unknown>>;
  components: Record<string, unknown>;
}

/** The document starts empty; defineRoute() adds each route as it is registered. */
export function newOpenApiDocument(): OpenApiDocument {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Slotcast API',
      version: `${PROTOCOL_VERSION}`,
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
