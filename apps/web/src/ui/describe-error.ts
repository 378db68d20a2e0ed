import { SlotcastApiError, SlotcastNetworkError } from '@slotcast/client';

const STATUS_WORD: Record<string, string> = {
  requested: 'requested',
  confirmed: 'confirmed',
  declined: 'declined',
  cancelled: 'cancelled',
  expired: 'expired',
  checked_in: 'checked in',
  no_show: 'marked as no-show',
  completed: 'completed',
};

/** A sentence a person can act on, for any error an SDK call may throw: problem codes map to text here only. */
export function describeError(err: unknown): string {
  if (err instanceof SlotcastApiError) {
    switch (err.code) {
      case 'AUTH_INVALID_CREDENTIALS':
        return 'That email and password do not match an account.';
      case 'RATE_LIMITED':
        return err.retryAfterMs
          ? `Too many attempts. Try again in ${Math.ceil(err.retryAfterMs / 1000)} seconds.`
          : 'Too many attempts. Wait a moment and try again.';
      case 'BOOKING_SLOT_TAKEN':
        return 'Someone else just took this slot.';
      case 'BOOKING_CANCELLATION_WINDOW_CLOSED':
        return 'It is too late to change this booking online.';
      case 'BOOKING_NOT_STARTED':
        return 'It has not started yet: a booking can be marked as a no-show from its start time.';
      case 'BOOKING_TRANSITION_NOT_ALLOWED': {
        const now = err.extension('currentStatus');
        return typeof now === 'string' && now in STATUS_WORD
          ? `This change is not possible any more: the booking is ${STATUS_WORD[now]} now.`
          : 'This change is not possible any more: the booking has moved on.';
      }
      case 'BOOKING_VERSION_CONFLICT':
        return 'Someone changed this booking a moment ago. It is shown as it is now; try again if you still want to.';
      case 'SERVICE_NOT_OFFERED':
        return 'This service is not offered there. Pick another place or service.';
      case 'BOOKING_IN_PAST':
        return 'That time has already passed. Pick a later one.';
      case 'BOOKING_OUTSIDE_OPENING_HOURS':
        return 'That time is outside the opening hours.';
      case 'BOOKING_NOT_ON_SLOT_BOUNDARY':
        return 'Bookings start on the slot grid; pick one of the listed times.';
      case 'AUTH_REQUIRED':
      case 'AUTH_TOKEN_INVALID':
      case 'AUTH_REFRESH_INVALID':
      case 'AUTH_REFRESH_REUSED':
        return 'Your session has ended. Please sign in again.';
      case 'FORBIDDEN':
        return 'You are not allowed to do this.';
      case 'NOT_FOUND':
        return 'It does not exist any more.';
      case 'SERVICE_UNAVAILABLE':
        return 'The server is busy or restarting. Try again in a moment.';
      case 'VALIDATION_FAILED': {
        const first = err.errors[0];
        return first ? `Please check ${first.path}: ${first.message}.` : 'Please check the form.';
      }
      // Anything else (INTERNAL, a code this app does not know yet): never the server's own words, which are
      // written for operators ("boom", stack-ish details), but a sentence a person can act on.
      default:
        return 'Something went wrong on our side. Please try again in a moment.';
    }
  }
  if (err instanceof SlotcastNetworkError) return 'Could not reach the server. Check your connection and try again.';
  return err instanceof Error ? err.message : 'Something went wrong.';
}
