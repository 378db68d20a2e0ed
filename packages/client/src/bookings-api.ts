import {
  type Booking,
  type BookingAction,
  type BookingPage as BookingPageSchema,
  type BookingStatus,
  type BookingTimeline,
  type CreateBookingRequest,
  type RescheduleRequest,
  ROUTES,
  type TransitionRequest,
} from '@slotcast/protocol';
import type { z } from 'zod';
import type { MutationOptions, RequestOptions } from './catalog-api.js';
import type { HttpTransport } from './http-transport.js';

export type CreateBookingInput = z.input<typeof CreateBookingRequest>;
export type TransitionInput = z.input<typeof TransitionRequest>;
export type RescheduleInput = z.input<typeof RescheduleRequest>;
export type BookingPage = z.infer<typeof BookingPageSchema>;

export interface BookingFilters {
  status?: BookingStatus | readonly BookingStatus[];
  resourceId?: string;
  /** Bookings starting at or after (ISO date-time with offset). */
  from?: string;
  to?: string;
  /** `nextCursor` of the previous page. */
  cursor?: string;
  /** 1 to 200 (server default 50). */
  limit?: number;
}

/**
 * Booking reads and writes. Writes carry an Idempotency-Key the server deduplicates by, so they are re-sent after a
 * network error; every change carries the `version` it expects (409 BOOKING_VERSION_CONFLICT has `current`).
 */
export class BookingsApi {
  constructor(private readonly http: HttpTransport) {}

  /** 409 BOOKING_SLOT_TAKEN carries `conflict` and `nextFreeSlots` (see SlotcastApiError). */
  create(input: CreateBookingInput, opts: MutationOptions = {}): Promise<Booking> {
    return this.http.call(ROUTES.createBooking, { body: input }, opts);
  }

  list(filters: BookingFilters = {}, opts: RequestOptions = {}): Promise<BookingPage> {
    return this.http.call(ROUTES.listBookings, { query: { ...filters } }, opts);
  }

  /** Every booking matching the filters, page by page. */
  async *iterate(filters: Omit<BookingFilters, 'cursor'> = {}, opts: RequestOptions = {}): AsyncGenerator<Booking> {
    let cursor: string | undefined;
    do {
      const page = await this.list({ ...filters, cursor }, opts);
      yield* page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  get(bookingId: string, opts: RequestOptions = {}): Promise<Booking> {
    return this.http.call(ROUTES.getBooking, { params: { id: bookingId } }, opts);
  }

  /** What happened to the booking, oldest first, with who did it (names as the caller may know them). */
  timeline(bookingId: string, opts: RequestOptions = {}): Promise<BookingTimeline> {
    return this.http.call(ROUTES.bookingTimeline, { params: { id: bookingId } }, opts);
  }

  /** confirm, decline, cancel, check-in, no-show or complete, from the version you saw. */
  transition(
    bookingId: string,
    action: BookingAction,
    input: TransitionInput,
    opts: MutationOptions = {},
  ): Promise<Booking> {
    return this.http.call(ROUTES.transitionBooking, { params: { id: bookingId, action }, body: input }, opts);
  }

  reschedule(bookingId: string, input: RescheduleInput, opts: MutationOptions = {}): Promise<Booking> {
    return this.http.call(ROUTES.rescheduleBooking, { params: { id: bookingId }, body: input }, opts);
  }
}
