import {
  Booking,
  BookingAction,
  BookingPage,
  CreateBookingRequest,
  IdParams,
  ListBookingsQuery,
  RescheduleRequest,
  TransitionRequest,
} from '@slotcast/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { BookingService } from '../../usecases/bookings.js';
import type { OpenApiDocument } from '../openapi.js';
import { type Authenticate, defineRoute } from '../route.js';

const ActionParams = z.strictObject({ id: IdParams.shape.id, action: BookingAction });

export function bookingRoutes(
  app: FastifyInstance,
  deps: { doc: OpenApiDocument; authenticate: Authenticate; bookings: BookingService },
) {
  const { bookings } = deps;
  const tag = 'bookings';

  defineRoute(
    app,
    deps,
    {
      method: 'POST',
      url: '/bookings',
      summary: 'Book a slot (customers for themselves; staff and admins with customerId)',
      tag,
      auth: 'required',
      body: CreateBookingRequest,
      idempotent: true,
      response: {
        status: 201,
        schema: Booking,
        description: 'Booked: requested, or confirmed if the vendor auto-confirms',
      },
      errors: [
        'BOOKING_SLOT_TAKEN',
        'BOOKING_IN_PAST',
        'BOOKING_NOT_ON_SLOT_BOUNDARY',
        'BOOKING_OUTSIDE_OPENING_HOURS',
        'SERVICE_NOT_OFFERED',
        'NOT_FOUND',
        'FORBIDDEN',
        'IDEMPOTENCY_KEY_REUSED',
      ],
    },
    async ({ caller, body, idempotency }) => bookings.create(caller!, body, idempotency),
  );

  defineRoute(
    app,
    deps,
    {
      method: 'GET',
      url: '/bookings',
      summary: 'Bookings you may see (own for customers, your vendor’s for staff, all for admins), by start time',
      tag,
      auth: 'required',
      query: ListBookingsQuery,
      response: { status: 200, schema: BookingPage, description: 'A page; pass nextCursor as cursor for the next' },
      errors: [],
    },
    async ({ caller, query }) => ({ body: await bookings.list(caller!, query) }),
  );

  defineRoute(
    app,
    deps,
    {
      method: 'GET',
      url: '/bookings/:id',
      summary: 'One booking',
      tag,
      auth: 'required',
      params: IdParams,
      response: { status: 200, schema: Booking, description: 'The booking' },
      errors: ['NOT_FOUND'],
    },
    async ({ caller, params }) => ({ body: await bookings.get(caller!, params.id) }),
  );

  defineRoute(
    app,
    deps,
    {
      method: 'POST',
      url: '/bookings/:id/reschedule',
      summary: 'Move a booking to a new time (and optionally another resource of the vendor)',
      tag,
      auth: 'required',
      params: IdParams,
      body: RescheduleRequest,
      idempotent: true,
      response: { status: 200, schema: Booking, description: 'Moved; version + 1' },
      errors: [
        'BOOKING_SLOT_TAKEN',
        'BOOKING_VERSION_CONFLICT',
        'BOOKING_TRANSITION_NOT_ALLOWED',
        'BOOKING_CANCELLATION_WINDOW_CLOSED',
        'BOOKING_IN_PAST',
        'BOOKING_NOT_ON_SLOT_BOUNDARY',
        'BOOKING_OUTSIDE_OPENING_HOURS',
        'NOT_FOUND',
        'FORBIDDEN',
        'IDEMPOTENCY_KEY_REUSED',
      ],
    },
    async ({ caller, params, body, idempotency }) => bookings.reschedule(caller!, params.id, body, idempotency),
  );

  defineRoute(
    app,
    deps,
    {
      method: 'POST',
      url: '/bookings/:id/:action',
      summary: 'Change status: confirm, decline, cancel, check-in, no-show, complete',
      tag,
      auth: 'required',
      params: ActionParams,
      body: TransitionRequest,
      idempotent: true,
      response: { status: 200, schema: Booking, description: 'Changed; version + 1' },
      errors: [
        'BOOKING_VERSION_CONFLICT',
        'BOOKING_TRANSITION_NOT_ALLOWED',
        'BOOKING_CANCELLATION_WINDOW_CLOSED',
        'NOT_FOUND',
        'FORBIDDEN',
        'IDEMPOTENCY_KEY_REUSED',
      ],
    },
    async ({ caller, params, body, idempotency }) =>
      bookings.transition(caller!, params.id, params.action, body, idempotency),
  );
}
