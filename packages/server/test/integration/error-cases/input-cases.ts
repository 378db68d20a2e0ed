import type { Booking } from '@slotcast/protocol';
import { aliceBooking, bookingBody, call, dayAt, type ErrorCase, postBooking, transition } from './context.js';

/** Refusals of what a request says: bad fields, times that cannot be booked, bodies that cannot be read. */
export const INPUT_CASES: ErrorCase[] = [
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
];
