import {
  BookingActionParams,
  BookingPage,
  BookingTimeline,
  CreateBookingRequest,
  IdParams,
  ListBookingsQuery,
  RescheduleRequest,
  TransitionRequest,
} from '../api.js';
import { Booking } from '../entities.js';
import { defineRoute } from './define-route.js';

const tag = 'bookings';

export const createBooking = defineRoute({
  method: 'POST',
  path: '/bookings',
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
    'EMAIL_NOT_VERIFIED',
  ],
});

export const listBookings = defineRoute({
  method: 'GET',
  path: '/bookings',
  summary: 'Bookings you may see (own for customers, your vendor’s for staff, all for admins), by start time',
  tag,
  auth: 'required',
  query: ListBookingsQuery,
  response: { status: 200, schema: BookingPage, description: 'A page; pass nextCursor as cursor for the next' },
  errors: [],
});

export const getBooking = defineRoute({
  method: 'GET',
  path: '/bookings/:id',
  summary: 'One booking',
  tag,
  auth: 'required',
  params: IdParams,
  response: { status: 200, schema: Booking, description: 'The booking' },
  errors: ['NOT_FOUND'],
});

export const bookingTimeline = defineRoute({
  method: 'GET',
  path: '/bookings/:id/events',
  summary: 'What happened to one booking, oldest first, with who did it (as long as the event log keeps it)',
  tag,
  auth: 'required',
  params: IdParams,
  response: { status: 200, schema: BookingTimeline, description: 'The timeline' },
  errors: ['NOT_FOUND'],
});

export const rescheduleBooking = defineRoute({
  method: 'POST',
  path: '/bookings/:id/reschedule',
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
});

export const transitionBooking = defineRoute({
  method: 'POST',
  path: '/bookings/:id/:action',
  summary: 'Change status: confirm, decline, cancel, check-in, no-show, complete',
  tag,
  auth: 'required',
  params: BookingActionParams,
  body: TransitionRequest,
  idempotent: true,
  response: { status: 200, schema: Booking, description: 'Changed; version + 1' },
  errors: [
    'BOOKING_VERSION_CONFLICT',
    'BOOKING_TRANSITION_NOT_ALLOWED',
    'BOOKING_CANCELLATION_WINDOW_CLOSED',
    'BOOKING_NOT_STARTED',
    'NOT_FOUND',
    'FORBIDDEN',
    'IDEMPOTENCY_KEY_REUSED',
  ],
});
