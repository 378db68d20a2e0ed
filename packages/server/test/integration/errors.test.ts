import { randomUUID } from 'node:crypto';
import { type Booking, ERRORS, type ErrorCode, type Problem, problemType, type TokenPair } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenSigner } from '../../src/auth/tokens.js';
import { DB_KINDS } from '../support/databases.js';
import { writeState } from '../support/rows.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { slotAllocator } from '../support/slots.js';
import { type ApiResponse, api, buildWorld, login, type World } from '../support/world.js';

/** Codes that none of the cases provokes: a bug is not a contract; health.test.ts takes PostgreSQL away for the 503. */
const NOT_PROVOKED_HERE: ErrorCode[] = ['INTERNAL', 'SERVICE_UNAVAILABLE'];

interface OpenApiDoc {
  paths: Record<string, Record<string, { responses: Record<string, { 'x-problem-codes'?: string[] }> }>>;
}

/** The last request a case sent, to look up what OpenAPI documents for it. */
let lastRequest: { method: string; path: string } | null = null;
function call<T = Problem>(server: TestServer, method: string, path: string, opts: Parameters<typeof api>[3] = {}) {
  lastRequest = { method, path: `/api/v1${path.split('?')[0]}` };
  return api<T>(server, method, path, opts);
}

/** The problem codes OpenAPI documents for the operation serving `method path`, or null for an unknown route. */
function documentedCodes(doc: OpenApiDoc, method: string, path: string): Record<string, string[]> | null {
  for (const [template, ops] of Object.entries(doc.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`);
    const op = ops[method.toLowerCase()];
    if (!op || !pattern.test(path)) continue;
    return Object.fromEntries(Object.entries(op.responses).map(([status, r]) => [status, r['x-problem-codes'] ?? []]));
  }
  return null;
}

interface Ctx {
  server: TestServer;
  doc: OpenApiDoc;
  w: World;
  nextSlot: () => string;
  /** A resource open 09:00–17:00 UTC every day, with a service offered on it alone. */
  dayRoom: { resourceId: string; serviceId: string };
  /**
   * Two resources open around the clock in a zone where the next hour stays within today's local date (a booking
   * may not cross local midnight), so a booking inside the cancellation cut-off can be made at any time of day.
   */
  soonRooms: { resourceIds: [string, string]; serviceId: string };
}

interface ErrorCase {
  name: string;
  status: number;
  code: ErrorCode;
  /** VALIDATION_FAILED: the paths of `errors[]`, one per bad field. */
  fields?: string[];
  /** Runs before the write state is recorded; its result goes to `request`. */
  setup?: (ctx: Ctx) => Promise<unknown>;
  request: (ctx: Ctx, prepared: unknown) => Promise<ApiResponse<Problem>>;
  /** What the refusal itself deliberately writes (only reuse of a refresh token revokes its session). */
  writes?: Record<string, number>;
}

const DAY = 86_400_000;
const dayAt = (days: number, hour: number, minute = 0) => {
  const d = new Date(Date.now() + days * DAY);
  d.setUTCHours(hour, minute, 0, 0);
  return d.toISOString();
};
/** The first grid slot at least two minutes away: inside the world's 60-minute cancellation cut-off. */
const soonSlot = () => new Date(Math.ceil((Date.now() + 120_000) / 1_800_000) * 1_800_000).toISOString();

const soonBooking = async (ctx: Ctx, room: 0 | 1) => {
  const res = await call<Booking>(ctx.server, 'POST', '/bookings', {
    token: ctx.w.alice.token,
    body: { resourceId: ctx.soonRooms.resourceIds[room], serviceId: ctx.soonRooms.serviceId, startAt: soonSlot() },
  });
  expect(res.status).toBe(201);
  return res.body;
};

const bookingBody = (ctx: Ctx, extra: Record<string, unknown> = {}) => ({
  resourceId: ctx.w.a.resource.id,
  serviceId: ctx.w.a.service.id,
  startAt: ctx.nextSlot(),
  ...extra,
});
const postBooking = (ctx: Ctx, body: unknown, token = ctx.w.alice.token) =>
  call<Problem>(ctx.server, 'POST', '/bookings', { token, body });
const aliceBooking = async (ctx: Ctx, startAt = ctx.nextSlot(), resourceId = ctx.w.a.resource.id) => {
  const res = await call<Booking>(ctx.server, 'POST', '/bookings', {
    token: ctx.w.alice.token,
    body: { resourceId, serviceId: ctx.w.a.service.id, startAt },
  });
  expect(res.status).toBe(201);
  return res.body;
};
const transition = (ctx: Ctx, b: Booking, action: string, token: string, body: unknown = { version: b.version }) =>
  call<Problem>(ctx.server, 'POST', `/bookings/${b.id}/${action}`, { token, body });

const CASES: ErrorCase[] = [
  // --- VALIDATION_FAILED: one entry per bad field ---
  {
    name: 'unknown fields in the body',
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['body.colour', 'body.priority'],
    request: (ctx) => postBooking(ctx, bookingBody(ctx, { colour: 'red', priority: 1 })),
  },
  {
    name: 'fields of the wrong type',
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['body.note', 'body.resourceId', 'body.serviceId', 'body.startAt'],
    request: (ctx) => postBooking(ctx, { resourceId: 42, serviceId: true, startAt: 'tomorrow at ten', note: 5 }),
  },
  {
    name: 'missing fields',
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['body.resourceId', 'body.serviceId', 'body.startAt'],
    request: (ctx) => postBooking(ctx, {}),
  },
  {
    name: 'a missing body',
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['body'],
    request: (ctx) => call(ctx.server, 'POST', '/bookings', { token: ctx.w.alice.token }),
  },
  {
    name: 'a JSON body that is not an object',
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['body'],
    request: (ctx) => postBooking(ctx, ['a', 'list']),
  },
  {
    name: 'a field that breaks two rules at once (still one entry)',
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['body.email'],
    request: (ctx) =>
      call(ctx.server, 'POST', '/auth/register', {
        body: { email: `${'x'.repeat(300)}`, password: 'a-long-password', name: 'X' },
      }),
  },
  {
    name: 'a path parameter that is not an id',
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['params.id'],
    request: (ctx) => call(ctx.server, 'GET', '/bookings/not-a-uuid', { token: ctx.w.alice.token }),
  },
  {
    name: 'bad query parameters',
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['query.limit', 'query.sort', 'query.status'],
    request: (ctx) =>
      call(ctx.server, 'GET', '/bookings?limit=0&status=requested,lost&sort=desc', { token: ctx.w.alice.token }),
  },
  {
    name: 'a cursor this API did not issue',
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['query.cursor'],
    request: (ctx) => call(ctx.server, 'GET', '/bookings?cursor=bm90LWEtY3Vyc29y', { token: ctx.w.alice.token }),
  },
  {
    name: 'an availability range that ends before it starts',
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['query.to'],
    request: (ctx) =>
      call(
        ctx.server,
        'GET',
        `/resources/${ctx.w.a.resource.id}/availability?serviceId=${ctx.w.a.service.id}&from=2030-03-05&to=2030-03-01`,
      ),
  },
  {
    name: 'staff booking without saying for which customer',
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['body.customerId'],
    request: (ctx) => postBooking(ctx, bookingBody(ctx), ctx.w.a.staff.token),
  },
  {
    name: 'staff booking for someone who is not a customer',
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['body.customerId'],
    request: (ctx) => postBooking(ctx, bookingBody(ctx, { customerId: ctx.w.a.owner.user.id }), ctx.w.a.staff.token),
  },
  {
    name: 'a transition with a bad version and an empty reason',
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['body.reason', 'body.version'],
    setup: (ctx) => aliceBooking(ctx),
    request: (ctx, b) => transition(ctx, b as Booking, 'cancel', ctx.w.alice.token, { version: 0, reason: '  ' }),
  },
  {
    name: 'an unknown action on a booking',
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['params.action'],
    setup: (ctx) => aliceBooking(ctx),
    request: (ctx, b) => transition(ctx, b as Booking, 'teleport', ctx.w.a.staff.token),
  },
  {
    name: 'a service with resources of another vendor',
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['body.resourceIds.1'],
    request: (ctx) =>
      call(ctx.server, 'POST', `/vendors/${ctx.w.a.vendor.id}/services`, {
        token: ctx.w.a.owner.token,
        body: {
          name: 'Mixed',
          durationMinutes: 30,
          priceMinor: 100,
          currency: 'EUR',
          resourceIds: [ctx.w.a.resource.id, ctx.w.b.resource.id],
        },
      }),
  },
  {
    name: 'a vendor slug that is taken',
    status: 400,
    code: 'VALIDATION_FAILED',
    fields: ['body.slug'],
    request: (ctx) =>
      call(ctx.server, 'POST', '/vendors', { token: ctx.w.admin.token, body: { name: 'Again', slug: 'vendor-a' } }),
  },
  {
    name: 'a path parameter over the length the router takes',
    status: 414,
    code: 'URI_TOO_LONG',
    // Anyone can send this without a token; it must not count as a server fault (5xx alerts).
    request: (ctx) => call(ctx.server, 'POST', `/bookings/${'a'.repeat(101)}/confirm`),
  },
  {
    name: 'request headers over the size Node accepts',
    status: 431,
    code: 'HEADERS_TOO_LARGE',
    request: (ctx) => call(ctx.server, 'GET', '/vendors', { headers: { 'x-padding': 'a'.repeat(20_000) } }),
  },
  {
    name: 'a refresh from the session cookie without the session header (cross-site)',
    status: 403,
    code: 'AUTH_CSRF_REJECTED',
    request: (ctx) =>
      call(ctx.server, 'POST', '/auth/refresh', {
        headers: { cookie: `slotcast_refresh=${'x'.repeat(40)}` },
        body: {},
      }),
  },
  {
    name: 'a URL that does not decode',
    status: 400,
    code: 'VALIDATION_FAILED',
    request: (ctx) => call(ctx.server, 'GET', '/bookings/%E0%A4%A', { token: ctx.w.alice.token }),
  },
  // --- times that cannot be booked ---
  {
    name: 'a start in the past',
    status: 422,
    code: 'BOOKING_IN_PAST',
    request: (ctx) => postBooking(ctx, bookingBody(ctx, { startAt: dayAt(-1, 10) })),
  },
  {
    name: 'a start off the slot grid',
    status: 422,
    code: 'BOOKING_NOT_ON_SLOT_BOUNDARY',
    request: (ctx) => postBooking(ctx, bookingBody(ctx, { startAt: dayAt(3, 10, 15) })),
  },
  {
    name: 'a start outside opening hours',
    status: 422,
    code: 'BOOKING_OUTSIDE_OPENING_HOURS',
    request: (ctx) =>
      postBooking(ctx, { resourceId: ctx.dayRoom.resourceId, serviceId: ctx.dayRoom.serviceId, startAt: dayAt(3, 20) }),
  },
  {
    name: 'a booking that would run past closing time',
    status: 422,
    code: 'BOOKING_OUTSIDE_OPENING_HOURS',
    request: (ctx) =>
      postBooking(ctx, {
        resourceId: ctx.dayRoom.resourceId,
        serviceId: ctx.dayRoom.serviceId,
        startAt: dayAt(3, 16, 30),
      }),
  },
  {
    name: 'a reschedule off the slot grid',
    status: 422,
    code: 'BOOKING_NOT_ON_SLOT_BOUNDARY',
    setup: (ctx) => aliceBooking(ctx),
    request: (ctx, b) =>
      call(ctx.server, 'POST', `/bookings/${(b as Booking).id}/reschedule`, {
        token: ctx.w.a.staff.token,
        body: { version: 1, startAt: dayAt(3, 11, 10) },
      }),
  },
  {
    name: 'a service the resource does not offer',
    status: 422,
    code: 'SERVICE_NOT_OFFERED',
    request: (ctx) => postBooking(ctx, bookingBody(ctx, { serviceId: ctx.dayRoom.serviceId })),
  },
  {
    name: 'availability of a service the resource does not offer',
    status: 422,
    code: 'SERVICE_NOT_OFFERED',
    request: (ctx) =>
      call(
        ctx.server,
        'GET',
        `/resources/${ctx.w.a.resource.id}/availability?serviceId=${ctx.dayRoom.serviceId}&from=2030-03-01&to=2030-03-02`,
      ),
  },
  // --- bodies ---
  {
    name: 'a body over the size limit',
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    request: (ctx) => postBooking(ctx, bookingBody(ctx, { note: 'x'.repeat(70_000) })),
  },
  {
    name: 'malformed JSON',
    status: 400,
    code: 'MALFORMED_JSON',
    request: (ctx) => call(ctx.server, 'POST', '/bookings', { token: ctx.w.alice.token, rawBody: '{"resourceId": ' }),
  },
  {
    name: 'an empty JSON body',
    status: 400,
    code: 'MALFORMED_JSON',
    request: (ctx) => call(ctx.server, 'POST', '/bookings', { token: ctx.w.alice.token, rawBody: '' }),
  },
  {
    name: 'a text/plain body',
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    request: (ctx) =>
      call(ctx.server, 'POST', '/bookings', {
        token: ctx.w.alice.token,
        rawBody: JSON.stringify(bookingBody(ctx)),
        headers: { 'content-type': 'text/plain' },
      }),
  },
  {
    name: 'a form-encoded body',
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    request: (ctx) =>
      call(ctx.server, 'POST', '/auth/login', {
        rawBody: 'email=alice%40test.test&password=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
  },
  // --- not found ---
  {
    name: 'an unknown route',
    status: 404,
    code: 'NOT_FOUND',
    request: (ctx) => call(ctx.server, 'GET', '/nothing-here'),
  },
  {
    name: 'an unknown method on a known path',
    status: 404,
    code: 'NOT_FOUND',
    request: (ctx) => call(ctx.server, 'DELETE', '/bookings', { token: ctx.w.admin.token }),
  },
  {
    name: 'a booking that does not exist',
    status: 404,
    code: 'NOT_FOUND',
    request: (ctx) => call(ctx.server, 'GET', `/bookings/${randomUUID()}`, { token: ctx.w.admin.token }),
  },
  {
    name: 'a change to a booking that does not exist',
    status: 404,
    code: 'NOT_FOUND',
    request: (ctx) =>
      call(ctx.server, 'POST', `/bookings/${randomUUID()}/confirm`, { token: ctx.w.admin.token, body: { version: 1 } }),
  },
  {
    name: 'a booking of a resource that does not exist',
    status: 404,
    code: 'NOT_FOUND',
    request: (ctx) => postBooking(ctx, bookingBody(ctx, { resourceId: randomUUID() })),
  },
  {
    name: "a customer asking for another customer's booking",
    status: 404,
    code: 'NOT_FOUND',
    setup: (ctx) => aliceBooking(ctx),
    request: (ctx, b) => transition(ctx, b as Booking, 'cancel', ctx.w.bob.token),
  },
  // --- authentication ---
  {
    name: 'no access token',
    status: 401,
    code: 'AUTH_REQUIRED',
    request: (ctx) => call(ctx.server, 'POST', '/bookings', { body: bookingBody(ctx) }),
  },
  {
    name: 'an access token that is not a JWT',
    status: 401,
    code: 'AUTH_TOKEN_INVALID',
    request: (ctx) => postBooking(ctx, bookingBody(ctx), 'not.a.jwt'),
  },
  {
    name: 'an access token signed with another key',
    status: 401,
    code: 'AUTH_TOKEN_INVALID',
    setup: async (ctx) => {
      const forger = new TokenSigner('another-secret-another-secret-another-secret', 900);
      const u = ctx.w.admin.user;
      return (
        await forger.sign({ userId: u.id, role: 'admin', vendorId: null, isOwner: false, sessionId: randomUUID() })
      ).token;
    },
    request: (ctx, token) => postBooking(ctx, bookingBody(ctx), token as string),
  },
  {
    name: 'an Authorization header that is not Bearer',
    status: 401,
    code: 'AUTH_TOKEN_INVALID',
    request: (ctx) =>
      call(ctx.server, 'POST', '/bookings', {
        body: bookingBody(ctx),
        headers: { authorization: 'Basic YWxpY2U6eA==' },
      }),
  },
  {
    name: 'an expired access token',
    status: 401,
    code: 'AUTH_TOKEN_EXPIRED',
    setup: async (ctx) => {
      const { alice } = ctx.w;
      const claims = JSON.parse(Buffer.from(alice.token.split('.')[1]!, 'base64url').toString()) as { sid: string };
      const signed = await ctx.server.slotcast.signer.sign(
        { userId: alice.user.id, role: 'customer', vendorId: null, isOwner: false, sessionId: claims.sid },
        new Date(Date.now() - 2 * 3_600_000),
      );
      return signed.token;
    },
    request: (ctx, token) => postBooking(ctx, bookingBody(ctx), token as string),
  },
  {
    name: 'a wrong password',
    status: 401,
    code: 'AUTH_INVALID_CREDENTIALS',
    request: (ctx) =>
      call(ctx.server, 'POST', '/auth/login', { body: { email: 'alice@test.test', password: 'not-her-password' } }),
  },
  {
    name: 'a refresh token that was never issued',
    status: 401,
    code: 'AUTH_REFRESH_INVALID',
    request: (ctx) => call(ctx.server, 'POST', '/auth/refresh', { body: { refreshToken: 'never-issued-token' } }),
  },
  {
    name: 'a rotated refresh token used again',
    status: 401,
    code: 'AUTH_REFRESH_REUSED',
    setup: async (ctx) => {
      const { refreshToken } = await login(ctx.server, 'bob@test.test');
      const rotated = await call<TokenPair>(ctx.server, 'POST', '/auth/refresh', { body: { refreshToken } });
      expect(rotated.status).toBe(200);
      // Beyond the reuse grace period, so the repeat counts as theft rather than a retry.
      await ctx.server.slotcast.db.query(
        "UPDATE refresh_tokens SET used_at = used_at - interval '1 hour' WHERE used_at IS NOT NULL",
      );
      return refreshToken;
    },
    request: (ctx, refreshToken) => call(ctx.server, 'POST', '/auth/refresh', { body: { refreshToken } }),
    writes: { revokedSessions: 1 },
  },
  {
    name: 'an email that has an account',
    status: 409,
    code: 'AUTH_EMAIL_TAKEN',
    request: (ctx) =>
      call(ctx.server, 'POST', '/auth/register', {
        body: { email: 'Alice@Test.test', password: 'a-long-password', name: 'Alice again' },
      }),
  },
  {
    name: 'a verification or reset link nobody was sent',
    status: 400,
    code: 'AUTH_LINK_INVALID',
    request: (ctx) => call(ctx.server, 'POST', '/auth/verify-email', { body: { token: 'x'.repeat(43) } }),
  },
  {
    name: 'a new customer booking before verifying their email',
    status: 403,
    code: 'EMAIL_NOT_VERIFIED',
    setup: async (ctx) => {
      const res = await call<{ accessToken: string }>(ctx.server, 'POST', '/auth/register', {
        body: { email: `unverified-${Date.now()}@test.test`, password: 'a-long-password', name: 'Una' },
      });
      return res.body.accessToken;
    },
    request: (ctx, token) => postBooking(ctx, bookingBody(ctx), token as string),
  },
  {
    name: 'a sign-in from an address right after five failures there',
    status: 429,
    code: 'RATE_LIMITED',
    setup: async (ctx) => {
      const email = `limited-${randomUUID()}@test.test`;
      await call(ctx.server, 'POST', '/auth/register', { body: { email, password: 'a-long-password', name: 'L' } });
      for (let i = 0; i < 5; i++) {
        await call(ctx.server, 'POST', '/auth/login', { body: { email, password: 'wrong-password' } });
      }
      return email;
    },
    request: (ctx, email) =>
      call(ctx.server, 'POST', '/auth/login', { body: { email: email as string, password: 'a-long-password' } }),
  },
  // --- permissions ---
  {
    name: 'a customer booking for another customer',
    status: 403,
    code: 'FORBIDDEN',
    request: (ctx) => postBooking(ctx, bookingBody(ctx, { customerId: ctx.w.bob.user.id })),
  },
  {
    name: 'staff booking at another vendor',
    status: 403,
    code: 'FORBIDDEN',
    request: (ctx) => postBooking(ctx, bookingBody(ctx, { customerId: ctx.w.alice.user.id }), ctx.w.b.staff.token),
  },
  {
    name: 'a customer confirming their own booking',
    status: 403,
    code: 'FORBIDDEN',
    setup: (ctx) => aliceBooking(ctx),
    request: (ctx, b) => transition(ctx, b as Booking, 'confirm', ctx.w.alice.token),
  },
  {
    name: "a reschedule onto another vendor's resource",
    status: 403,
    code: 'FORBIDDEN',
    setup: (ctx) => aliceBooking(ctx),
    request: (ctx, b) =>
      call(ctx.server, 'POST', `/bookings/${(b as Booking).id}/reschedule`, {
        token: ctx.w.admin.token,
        body: { version: 1, startAt: ctx.nextSlot(), resourceId: ctx.w.b.resource.id },
      }),
  },
  {
    name: 'staff who are not an owner adding staff',
    status: 403,
    code: 'FORBIDDEN',
    request: (ctx) =>
      call(ctx.server, 'POST', `/vendors/${ctx.w.a.vendor.id}/staff`, {
        token: ctx.w.a.staff.token,
        body: { email: `s-${randomUUID()}@test.test`, password: 'a-long-password', name: 'S' },
      }),
  },
  // --- booking rules ---
  {
    name: 'an overlapping booking',
    status: 409,
    code: 'BOOKING_SLOT_TAKEN',
    setup: async (ctx) => (await aliceBooking(ctx)).startAt,
    request: (ctx, startAt) => postBooking(ctx, bookingBody(ctx, { startAt }), ctx.w.bob.token),
  },
  {
    name: 'a change with a stale version',
    status: 409,
    code: 'BOOKING_VERSION_CONFLICT',
    setup: (ctx) => aliceBooking(ctx),
    request: (ctx, b) => transition(ctx, b as Booking, 'confirm', ctx.w.a.staff.token, { version: 2 }),
  },
  {
    name: 'checking in a booking nobody confirmed',
    status: 409,
    code: 'BOOKING_TRANSITION_NOT_ALLOWED',
    setup: (ctx) => aliceBooking(ctx),
    request: (ctx, b) => transition(ctx, b as Booking, 'check-in', ctx.w.a.staff.token),
  },
  {
    name: 'a customer cancelling after the cut-off',
    status: 409,
    code: 'BOOKING_CANCELLATION_WINDOW_CLOSED',
    setup: (ctx) => soonBooking(ctx, 0),
    request: (ctx, b) => transition(ctx, b as Booking, 'cancel', ctx.w.alice.token),
  },
  {
    name: 'a customer rescheduling after the cut-off',
    status: 409,
    code: 'BOOKING_CANCELLATION_WINDOW_CLOSED',
    // On the second resource: the case before holds soonSlot() on the first.
    setup: (ctx) => soonBooking(ctx, 1),
    request: (ctx, b) =>
      call(ctx.server, 'POST', `/bookings/${(b as Booking).id}/reschedule`, {
        token: ctx.w.alice.token,
        body: { version: 1, startAt: ctx.nextSlot() },
      }),
  },
  // --- idempotency ---
  {
    name: 'an Idempotency-Key that is too short',
    status: 400,
    code: 'IDEMPOTENCY_KEY_INVALID',
    request: (ctx) =>
      call(ctx.server, 'POST', '/bookings', {
        token: ctx.w.alice.token,
        body: bookingBody(ctx),
        headers: { 'idempotency-key': 'short' },
      }),
  },
  {
    name: 'an Idempotency-Key reused with another body',
    status: 422,
    code: 'IDEMPOTENCY_KEY_REUSED',
    setup: async (ctx) => {
      const key = `reuse-${randomUUID()}`;
      const first = await call(ctx.server, 'POST', '/bookings', {
        token: ctx.w.alice.token,
        body: bookingBody(ctx),
        headers: { 'idempotency-key': key },
      });
      expect(first.status).toBe(201);
      return key;
    },
    request: (ctx, key) =>
      call(ctx.server, 'POST', '/bookings', {
        token: ctx.w.alice.token,
        body: bookingBody(ctx),
        headers: { 'idempotency-key': key as string },
      }),
  },
];

describe.each(DB_KINDS)('error responses on %s', (kind) => {
  const ctx = {} as Ctx;

  beforeAll(async () => {
    ctx.server = await startTestServer(kind);
    ctx.w = await buildWorld(ctx.server);
    ctx.nextSlot = slotAllocator(2);
    const day = [{ start: '09:00', end: '17:00' }];
    const room = await call<{ id: string }>(ctx.server, 'POST', `/vendors/${ctx.w.a.vendor.id}/resources`, {
      token: ctx.w.a.owner.token,
      body: {
        name: 'Day room',
        timezone: 'UTC',
        weeklyHours: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day },
      },
    });
    const service = await call<{ id: string }>(ctx.server, 'POST', `/vendors/${ctx.w.a.vendor.id}/services`, {
      token: ctx.w.a.owner.token,
      body: { name: 'Day session', durationMinutes: 60, priceMinor: 100, currency: 'EUR', resourceIds: [room.body.id] },
    });
    expect([room.status, service.status]).toEqual([201, 201]);
    ctx.dayRoom = { resourceId: room.body.id, serviceId: service.body.id };
    // From 21:00 UTC on, UTC's day ends within the cut-off: use a zone twelve hours behind instead.
    const zone = new Date().getUTCHours() >= 21 ? 'Etc/GMT+12' : 'UTC';
    const allDay = [{ start: '00:00', end: '24:00' }];
    const soon = await Promise.all(
      ['Late room 1', 'Late room 2'].map((name) =>
        call<{ id: string }>(ctx.server, 'POST', `/vendors/${ctx.w.a.vendor.id}/resources`, {
          token: ctx.w.a.owner.token,
          body: {
            name,
            timezone: zone,
            weeklyHours: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
          },
        }),
      ),
    );
    const ids = soon.map((r) => r.body.id) as [string, string];
    const soonService = await call<{ id: string }>(ctx.server, 'POST', `/vendors/${ctx.w.a.vendor.id}/services`, {
      token: ctx.w.a.owner.token,
      body: { name: 'Late session', durationMinutes: 60, priceMinor: 100, currency: 'EUR', resourceIds: ids },
    });
    expect([...soon.map((r) => r.status), soonService.status]).toEqual([201, 201, 201]);
    ctx.soonRooms = { resourceIds: ids, serviceId: soonService.body.id };
    ctx.doc = (await api<OpenApiDoc>(ctx.server, 'GET', '/openapi.json')).body;
  });
  afterAll(async () => {
    await ctx.server?.close();
  });

  it('provokes every error code that some route documents', () => {
    const documented = new Set(
      Object.values(ctx.doc.paths).flatMap((ops) =>
        Object.values(ops).flatMap((op) => Object.values(op.responses).flatMap((r) => r['x-problem-codes'] ?? [])),
      ),
    );
    const provoked = new Set<string>(CASES.map((c) => c.code));
    const missing = [...documented].filter(
      (code) => !provoked.has(code) && !NOT_PROVOKED_HERE.includes(code as ErrorCode),
    );
    expect(missing).toEqual([]);
    expect(documented.size).toBeGreaterThan(20);
  });

  it.each(CASES)('answers $name with $status $code as problem+json and writes nothing', async (c) => {
    const prepared = c.setup ? await c.setup(ctx) : undefined;
    const before = await writeState(ctx.server);
    const res = await c.request(ctx, prepared);

    expect({ status: res.status, code: res.body?.code }).toEqual({ status: c.status, code: c.code });
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: problemType(c.code), title: ERRORS[c.code].title, status: c.status });
    if (c.code === 'VALIDATION_FAILED') {
      const errors = res.body.errors ?? [];
      expect(errors.length).toBeGreaterThan(0);
      for (const e of errors) expect(e).toEqual({ path: expect.any(String), message: expect.any(String) });
      if (c.fields) expect(errors.map((e) => e.path).sort()).toEqual(c.fields);
    }
    if (c.code === 'RATE_LIMITED') expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    // The route documents this answer in OpenAPI (only a request no route serves has no route to document it).
    const documented = documentedCodes(ctx.doc, lastRequest!.method, lastRequest!.path);
    if (documented) expect(documented[String(c.status)] ?? []).toContain(c.code);
    else expect(c.code).toBe('NOT_FOUND');

    const after = await writeState(ctx.server);
    const expected = { ...before };
    for (const [k, n] of Object.entries(c.writes ?? {})) expected[k] = (expected[k] ?? 0) + n;
    expect(after).toEqual(expected);
  });
});
