import { z } from 'zod';
import { Actor, Booking, BookingStatus, Id, IsoDateTime } from './entities.js';
import { ENVELOPE_VERSION } from './version.js';

/** The event log's types. Clients ignore types they do not know, so adding one is not a breaking change. */
export const BOOKING_EVENT_TYPES = [
  'booking.requested',
  'booking.confirmed',
  'booking.declined',
  'booking.cancelled',
  'booking.expired',
  'booking.rescheduled',
  'booking.checked_in',
  'booking.no_show',
  'booking.completed',
] as const;
export const BookingEventType = z.enum(BOOKING_EVENT_TYPES);
export type BookingEventType = z.infer<typeof BookingEventType>;

export const BookingEventData = z.object({
  booking: Booking,
  previousStatus: BookingStatus.nullable(),
  /** Set on booking.rescheduled: the interval the booking held before. */
  previous: z.object({ startAt: IsoDateTime, endAt: IsoDateTime, resourceId: Id }).optional(),
  actor: Actor,
  reason: z.string().nullable(),
});
export type BookingEventData = z.infer<typeof BookingEventData>;

/** The envelope of every event on the wire: the event-log row, versioned. */
export const EventEnvelope = z.object({
  v: z.literal(ENVELOPE_VERSION),
  id: z.number().int().positive(),
  type: z.string(),
  occurredAt: IsoDateTime,
  data: z.unknown(),
});
export type EventEnvelope = z.infer<typeof EventEnvelope>;

export const BookingEvent = EventEnvelope.extend({ type: BookingEventType, data: BookingEventData });
export type BookingEvent = z.infer<typeof BookingEvent>;

export const isBookingEvent = (e: EventEnvelope): e is BookingEvent =>
  (BOOKING_EVENT_TYPES as readonly string[]).includes(e.type);
