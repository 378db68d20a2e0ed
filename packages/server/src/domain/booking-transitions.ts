import type { BookingAction, BookingEventType, BookingStatus, Role } from '@slotcast/protocol';
import { SlotcastError } from '@slotcast/protocol';

export type ActorRole = Role | 'system';
export type TransitionName = BookingAction | 'expire' | 'reschedule';

interface TransitionRule {
  from: readonly BookingStatus[];
  to: BookingStatus | 'same';
  event: BookingEventType;
  /** Who may make this change; vendor scoping and ownership are checked by `mayAct`. */
  roles: readonly ActorRole[];
}

/** The booking lifecycle, in one place. Every change of status goes through this table. */
export const TRANSITIONS: Readonly<Record<TransitionName, TransitionRule>> = {
  confirm: { from: ['requested'], to: 'confirmed', event: 'booking.confirmed', roles: ['staff', 'admin'] },
  decline: { from: ['requested'], to: 'declined', event: 'booking.declined', roles: ['staff', 'admin'] },
  cancel: {
    from: ['requested', 'confirmed'],
    to: 'cancelled',
    event: 'booking.cancelled',
    roles: ['customer', 'staff', 'admin'],
  },
  expire: { from: ['requested'], to: 'expired', event: 'booking.expired', roles: ['system'] },
  'check-in': { from: ['confirmed'], to: 'checked_in', event: 'booking.checked_in', roles: ['staff', 'admin'] },
  'no-show': { from: ['confirmed'], to: 'no_show', event: 'booking.no_show', roles: ['staff', 'admin'] },
  complete: { from: ['checked_in'], to: 'completed', event: 'booking.completed', roles: ['staff', 'admin'] },
  reschedule: {
    from: ['requested', 'confirmed'],
    to: 'same',
    event: 'booking.rescheduled',
    roles: ['customer', 'staff', 'admin'],
  },
};

export interface ActorContext {
  role: ActorRole;
  userId: string | null;
  vendorId: string | null;
}

export interface BookingFacts {
  status: BookingStatus;
  vendorId: string;
  customerId: string;
  startAt: Date;
}

export interface VendorPolicy {
  cancellationCutoffMinutes: number;
  /** Customers' moves have their own cut-off; without one, the cancellation cut-off applies. */
  rescheduleCutoffMinutes?: number;
  /** A customer's move of a confirmed booking makes it a request again. */
  rescheduleNeedsConfirmation?: boolean;
}

/** Whether an actor may see a booking at all (the same rule scopes lists, rooms and replay). */
export function maySee(actor: ActorContext, booking: Pick<BookingFacts, 'vendorId' | 'customerId'>): boolean {
  switch (actor.role) {
    case 'admin':
    case 'system':
      return true;
    case 'staff':
      return actor.vendorId === booking.vendorId;
    case 'customer':
      return actor.userId === booking.customerId;
  }
}

/**
 * Decide a transition: returns the new status and event type, or throws a named error.
 * Order matters: someone who may not see the booking learns nothing about its status.
 */
export function decideTransition(
  name: TransitionName,
  actor: ActorContext,
  booking: BookingFacts,
  policy: VendorPolicy,
  now: Date,
): { status: BookingStatus; event: BookingEventType } {
  const rule = TRANSITIONS[name];
  if (!maySee(actor, booking)) throw new SlotcastError('NOT_FOUND', 'No such booking');
  if (!rule.roles.includes(actor.role)) {
    throw new SlotcastError('FORBIDDEN', `A ${actor.role} may not ${name} a booking`);
  }
  if (!rule.from.includes(booking.status)) {
    throw new SlotcastError('BOOKING_TRANSITION_NOT_ALLOWED', `Cannot ${name} a booking that is ${booking.status}`, {
      currentStatus: booking.status,
      allowedFrom: rule.from,
    });
  }
  // Customers change their own bookings only up to the vendor's cut-off; staff and admins may always.
  if (actor.role === 'customer' && (name === 'cancel' || name === 'reschedule')) {
    const minutes =
      name === 'reschedule'
        ? (policy.rescheduleCutoffMinutes ?? policy.cancellationCutoffMinutes)
        : policy.cancellationCutoffMinutes;
    const cutoff = booking.startAt.getTime() - minutes * 60_000;
    if (now.getTime() > cutoff) {
      throw new SlotcastError(
        'BOOKING_CANCELLATION_WINDOW_CLOSED',
        `Changes are possible up to ${minutes} minutes before the start`,
        { cutoffAt: new Date(cutoff).toISOString() },
      );
    }
  }
  // Nobody is a no-show before the start: marked early, the customer is told they missed a visit still to come.
  if (name === 'no-show' && now.getTime() < booking.startAt.getTime()) {
    throw new SlotcastError('BOOKING_NOT_STARTED', 'A booking can be marked as a no-show once it has started', {
      startAt: booking.startAt.toISOString(),
    });
  }
  if (name === 'reschedule' && actor.role === 'customer' && policy.rescheduleNeedsConfirmation) {
    return { status: 'requested', event: rule.event };
  }
  return { status: rule.to === 'same' ? booking.status : rule.to, event: rule.event };
}

/** The status a new booking starts in. */
export function initialStatus(autoConfirm: boolean): { status: BookingStatus; event: BookingEventType } {
  return autoConfirm
    ? { status: 'confirmed', event: 'booking.confirmed' }
    : { status: 'requested', event: 'booking.requested' };
}
