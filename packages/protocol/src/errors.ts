/** Every error Slotcast reports, defined once. HTTP maps them to problem+json, sockets to coded errors. */
export const ERRORS = {
  VALIDATION_FAILED: { status: 400, title: 'The request is not valid' },
  MALFORMED_JSON: { status: 400, title: 'The request body is not valid JSON' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'The request body must be application/json' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  URI_TOO_LONG: { status: 414, title: 'A path parameter is too long' },
  HEADERS_TOO_LARGE: { status: 431, title: 'The request headers are too large' },
  REQUEST_TIMEOUT: { status: 408, title: 'The request took too long to arrive' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  AUTH_REQUIRED: { status: 401, title: 'Authentication is required' },
  AUTH_TOKEN_EXPIRED: { status: 401, title: 'The access token has expired' },
  AUTH_TOKEN_INVALID: { status: 401, title: 'The access token is not valid' },
  AUTH_INVALID_CREDENTIALS: { status: 401, title: 'Email or password is wrong' },
  AUTH_REFRESH_INVALID: { status: 401, title: 'The refresh token is not valid' },
  AUTH_REFRESH_REUSED: { status: 401, title: 'The refresh token was already used; the session is revoked' },
  AUTH_CSRF_REJECTED: {
    status: 403,
    title: 'A request using the session cookie must carry the header X-Slotcast-Session: cookie',
  },
  AUTH_EMAIL_TAKEN: { status: 409, title: 'An account with this email exists' },
  AUTH_LINK_INVALID: { status: 400, title: 'The link is not valid, was already used, or has expired' },
  EMAIL_NOT_VERIFIED: { status: 403, title: 'Verify your email address first' },
  FORBIDDEN: { status: 403, title: 'You may not do this' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'The idempotency key was used with a different request' },
  IDEMPOTENCY_KEY_INVALID: { status: 400, title: 'The idempotency key is not valid' },
  BOOKING_SLOT_TAKEN: { status: 409, title: 'The slot overlaps another booking' },
  BOOKING_VERSION_CONFLICT: { status: 409, title: 'The booking was changed by someone else' },
  BOOKING_TRANSITION_NOT_ALLOWED: { status: 409, title: 'The booking cannot make this change in its current status' },
  BOOKING_CANCELLATION_WINDOW_CLOSED: { status: 409, title: 'The cancellation cut-off has passed' },
  BOOKING_NOT_STARTED: { status: 409, title: 'The booking has not started yet' },
  BOOKING_OUTSIDE_OPENING_HOURS: { status: 422, title: 'The time is outside the opening hours' },
  BOOKING_NOT_ON_SLOT_BOUNDARY: { status: 422, title: 'The time is not on a slot boundary' },
  BOOKING_IN_PAST: { status: 422, title: 'The time is in the past' },
  SERVICE_NOT_OFFERED: { status: 422, title: 'The service is not offered on this resource' },
  SERVICE_UNAVAILABLE: { status: 503, title: 'A dependency is unavailable; retry later' },
  RESYNC_REQUIRED: { status: 410, title: 'The replay cursor is older than the event retention window' },
  ROOM_NOT_FOUND: { status: 404, title: 'No such room' },
  ORIGIN_NOT_ALLOWED: { status: 403, title: 'This origin may not connect' },
  PROTOCOL_CLIENT_TOO_OLD: {
    status: 426,
    title: 'The client speaks an older protocol than this server serves; update it',
  },
  PROTOCOL_SERVER_TOO_OLD: {
    status: 400,
    title: 'The client speaks a newer protocol than this server; update the server',
  },
  INTERNAL: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERRORS;

/**
 * The `detail` of refusals whose wording takes parameters or is shared, as templates (Fastify's FST_ERR_* style):
 * code that throws names the message, it does not build the string.
 */
export const DETAILS = {
  noRoute: (method: string, path: string) => `No route ${method} ${path}`,
  invalidFields: (where: string, count: number) => `The ${where} has ${count} invalid field(s)`,
  bodyRequired: () => 'A JSON body is required',
  pushHostNotAllowed: (host: string) => `This server does not send pushes to ${host}`,
  bearerFormat: () => 'Authorization must be "Bearer <token>"',
  metricsToken: () => 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>',
  sessionRevoked: () => 'The session was revoked',
  passwordChanged: () => 'The password of this account was changed; sign in again',
  idempotencyKeyFormat: () => 'Idempotency-Key must be 8 to 200 visible ASCII characters',
  tooManyRequests: () => 'Too many requests; slow down and retry later',
  tooManySignIns: () => 'Too many failed sign-ins; try again later',
  unsubscribeLinkInvalid: () => 'This unsubscribe link is not valid or has expired',
  verifyBeforeBooking: () => 'Open the link we emailed you to verify your address, then book',
  slugTaken: () => 'slug is taken',
  databaseUnreachable: () => 'The database is unreachable',
  noSuch: (what: string) => `No such ${what}`,
  digestsForStaff: () => 'Hourly and daily digests are for staff; customers are told of each change',
} as const;

export interface FieldError {
  path: string;
  message: string;
}

/** RFC 9457 problem details with our stable `code`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** A named, coded error. Domain code throws these; the HTTP and socket layers map them in one place each. */
export class SlotcastError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly extensions: Record<string, unknown>;
  constructor(code: ErrorCode, detail?: string, extensions: Record<string, unknown> = {}) {
    super(detail ?? ERRORS[code].title);
    this.name = 'SlotcastError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.extensions = extensions;
  }
}

export const problemType = (code: ErrorCode): string =>
  `https://slotcast.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`;
