import type { Actor, BookingAction, BookingStatus, Role, Vendor } from '@slotcast/protocol';

/** Every status has a word and a symbol beside its colour, so no state is told by colour alone. */
export const STATUS_LABEL: Record<BookingStatus, string> = {
  requested: 'Requested',
  confirmed: 'Confirmed',
  declined: 'Declined',
  cancelled: 'Cancelled',
  expired: 'Expired',
  checked_in: 'Checked in',
  no_show: 'No-show',
  completed: 'Completed',
};

export const STATUS_SYMBOL: Record<BookingStatus, string> = {
  requested: '◷',
  confirmed: '✓',
  declined: '✕',
  cancelled: '⊘',
  expired: '⌛',
  checked_in: '➜',
  no_show: '!',
  completed: '★',
};

export const ALL_STATUSES = Object.keys(STATUS_LABEL) as BookingStatus[];

/** Statuses that still hold their slot. */
export const ACTIVE: readonly BookingStatus[] = ['requested', 'confirmed', 'checked_in'];

export type UiAction = BookingAction | 'reschedule';

/**
 * Which actions a role may offer from a status. The server decides (and says why not); this only keeps buttons
 * that cannot succeed out of the way. Mirrors the transition table in the server's domain.
 */
const FROM: Record<UiAction, readonly BookingStatus[]> = {
  confirm: ['requested'],
  decline: ['requested'],
  cancel: ['requested', 'confirmed'],
  reschedule: ['requested', 'confirmed'],
  'check-in': ['confirmed'],
  complete: ['checked_in'],
  'no-show': ['confirmed'],
};
const STAFF_ONLY: readonly UiAction[] = ['confirm', 'decline', 'check-in', 'complete', 'no-show'];

export const ACTION_ORDER: readonly UiAction[] = [
  'confirm',
  'decline',
  'check-in',
  'complete',
  'no-show',
  'reschedule',
  'cancel',
];

export function actionsFor(status: BookingStatus, role: Role, closed: ReadonlySet<UiAction> = NONE_CLOSED): UiAction[] {
  return ACTION_ORDER.filter(
    (a) => FROM[a].includes(status) && (role !== 'customer' || !STAFF_ONLY.includes(a)) && !closed.has(a),
  );
}
const NONE_CLOSED: ReadonlySet<UiAction> = new Set();

/**
 * When a customer's own cancel and move close (epoch ms): the vendor's cut-offs before the start. The server refuses
 * either strictly after its cut-off (`BOOKING_CANCELLATION_WINDOW_CLOSED`); staff and admins have none.
 */
export function customerCutoffs(
  startAt: string,
  vendor: Pick<Vendor, 'cancellationCutoffMinutes' | 'rescheduleCutoffMinutes'>,
): { cancel: number; reschedule: number } {
  const start = Date.parse(startAt);
  return {
    cancel: start - vendor.cancellationCutoffMinutes * 60_000,
    reschedule: start - vendor.rescheduleCutoffMinutes * 60_000,
  };
}

/**
 * The actions closed at `now`: a customer's cancel and move past their cut-offs (none without cut-offs: the server
 * then decides), and a no-show before the start (the server refuses it with `BOOKING_NOT_STARTED`).
 */
export function closedActions(
  cutoffs: { cancel: number; reschedule: number } | null,
  now: number,
  startAt?: string,
): Set<UiAction> {
  const closed = new Set<UiAction>();
  if (startAt !== undefined && now < Date.parse(startAt)) closed.add('no-show');
  if (cutoffs && now > cutoffs.cancel) closed.add('cancel');
  if (cutoffs && now > cutoffs.reschedule) closed.add('reschedule');
  return closed;
}

export const ACTION_LABEL: Record<UiAction, string> = {
  confirm: 'Confirm',
  decline: 'Decline',
  cancel: 'Cancel booking',
  reschedule: 'Reschedule',
  'check-in': 'Check in',
  complete: 'Complete',
  'no-show': 'No-show',
};

/** What the result line says after an action succeeded. */
export const ACTION_DONE: Record<UiAction, string> = {
  confirm: 'Confirmed',
  decline: 'Declined',
  cancel: 'Cancelled',
  reschedule: 'Rescheduled',
  'check-in': 'Checked in',
  complete: 'Marked completed',
  'no-show': 'Marked as no-show',
};

/** "by the customer", "by you", "by a staff member", "automatically". */
export function describeActor(actor: Actor, me: string | null, opts: { elsewhere?: boolean } = {}): string {
  if (actor.userId && actor.userId === me) return opts.elsewhere ? 'by you, in another tab or device' : 'by you';
  switch (actor.role) {
    case 'customer':
      return 'by the customer';
    case 'staff':
      return 'by another staff member';
    case 'admin':
      return 'by an administrator';
    case 'system':
      return 'automatically (the request expired)';
  }
}
