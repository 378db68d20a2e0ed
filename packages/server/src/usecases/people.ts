import {
  type Booking,
  type BookingEventData,
  type BookingTimeline,
  isBookingEvent,
  type Profile,
  SlotcastError,
  type TimelineEntry,
  type UpdateProfileRequest,
} from '@slotcast/protocol';
import { maySee } from '../domain/booking-transitions.js';
import { getBooking } from '../store/bookings-repo.js';
import type { Db } from '../store/db.js';
import { eventsOfBooking } from '../store/event-log.js';
import { customerContacts, getProfile, updateProfile, userNames } from '../store/people-repo.js';
import type { Caller } from './actor.js';

/**
 * Who is behind a booking: profiles, the customer details staff see, and a booking's history with names.
 * The rule for personal details: the booking vendor's staff and admins see the customer's name and what the customer
 * shares; nobody else does (other customers and other vendors' staff never see the booking at all).
 */
export class PeopleService {
  constructor(private readonly deps: { db: Db }) {}

  async profile(caller: Caller): Promise<Profile> {
    const profile = await getProfile(this.deps.db, caller.userId);
    if (!profile) throw new SlotcastError('AUTH_TOKEN_INVALID');
    return profile;
  }

  async updateProfile(caller: Caller, patch: UpdateProfileRequest): Promise<Profile> {
    const profile = await updateProfile(this.deps.db, caller.userId, patch);
    if (!profile) throw new SlotcastError('AUTH_TOKEN_INVALID');
    return profile;
  }

  /** Adds `customer` to the bookings the caller may know the customer of; others come back unchanged. */
  async withCustomers(caller: Caller, bookings: Booking[]): Promise<Booking[]> {
    const known = bookings.filter((b) => mayKnowCustomer(caller, b));
    if (known.length === 0) return bookings;
    const contacts = await customerContacts(
      this.deps.db,
      known.map((b) => b.customerId),
    );
    return bookings.map((b) => {
      const customer = mayKnowCustomer(caller, b) ? contacts.get(b.customerId) : undefined;
      return customer ? { ...b, customer } : b;
    });
  }

  async withCustomer(caller: Caller, booking: Booking): Promise<Booking> {
    return (await this.withCustomers(caller, [booking]))[0]!;
  }

  /** The booking's events, authorised like the booking itself (404 for anyone who may not see it). */
  async timeline(caller: Caller, bookingId: string): Promise<BookingTimeline> {
    const booking = await getBooking(this.deps.db, bookingId);
    if (!booking || !maySee(caller, booking)) throw new SlotcastError('NOT_FOUND', 'No such booking');
    const events = (await eventsOfBooking(this.deps.db, bookingId)).filter((e) => isBookingEvent(e.envelope));
    const staffView = mayKnowCustomer(caller, booking);
    const actorIds = events.map((e) => (e.envelope.data as BookingEventData).actor.userId).filter((id) => id !== null);
    const names = staffView ? await userNames(this.deps.db, actorIds) : new Map<string, string>();
    const items = events.map((e): TimelineEntry => {
      const d = e.envelope.data as BookingEventData;
      const you = d.actor.userId === caller.userId;
      return {
        id: e.envelope.id,
        type: e.envelope.type,
        occurredAt: e.envelope.occurredAt,
        status: d.booking.status,
        previousStatus: d.previousStatus,
        startAt: d.booking.startAt,
        ...(d.previous ? { previous: d.previous } : {}),
        reason: d.reason,
        actor: { role: d.actor.role, you, name: d.actor.userId ? (names.get(d.actor.userId) ?? null) : null },
      };
    });
    return { bookingId, items };
  }
}

/** Staff of the booking's vendor and admins: the people who serve the customer. */
function mayKnowCustomer(caller: Caller, booking: Pick<Booking, 'vendorId'>): boolean {
  return caller.role === 'admin' || (caller.role === 'staff' && caller.vendorId === booking.vendorId);
}
