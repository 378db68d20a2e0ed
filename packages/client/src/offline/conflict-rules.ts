import type { Booking, BookingStatus, ErrorCode } from '@slotcast/protocol';
import type { QueuedKind } from './queued-action.js';

/**
 * What may have happened on the server between the moment an action was taken offline and the moment it was sent.
 * `rule-broken`: the server refused for a rule of its own (cancellation cut-off passed, time now in the past, ...).
 */
export type Meanwhile =
  | 'confirmed'
  | 'declined'
  | 'cancelled'
  | 'rescheduled'
  | 'slot-taken'
  | 'expired'
  | 'permission-lost'
  | 'rule-broken'
  | 'other-change';

/**
 * applied: still makes sense on the booking as it is now: re-sent once on the current version.
 * merged: the server already is where the action wanted it (or the action commutes): done, nothing sent again.
 * refused: kept in "needs your attention" with the server's state; the user chooses among `choices`.
 */
export type Outcome = 'applied' | 'merged' | 'refused';

/** What the user is told; the web app's copy catalogue has one text per notice. */
export type Notice =
  | 'sent'
  | 'already-done'
  | 'changed-before'
  | 'slot-taken'
  | 'expired'
  | 'no-access'
  | 'not-allowed';

/** `retry` offers the same action again on the current state; `keep` leaves the booking as it is now. */
export type Choice = 'retry' | 'keep' | 'cancel' | 'pick-another-time' | 'dismiss';

export interface ConflictRule {
  outcome: Outcome;
  notice: Notice;
  choices: readonly Choice[];
}

const merged: ConflictRule = { outcome: 'merged', notice: 'already-done', choices: [] };
const applied: ConflictRule = { outcome: 'applied', notice: 'sent', choices: [] };
const refused = (notice: Notice, choices: readonly Choice[]): ConflictRule => ({ outcome: 'refused', notice, choices });
const changed = refused('changed-before', ['retry', 'keep']);
const gone = refused('changed-before', ['dismiss']);
const noAccess = refused('no-access', ['dismiss']);
const ruleBroken = refused('not-allowed', ['keep']);

/**
 * Queued action × what happened meanwhile → outcome. Server wins on state; nothing is dropped without the user
 * seeing it. Rows are read left to right in docs/offline.md; `book` has no booking before it is sent, so only the
 * rows that can happen to a new booking exist for it. A pair not in the table is refused with `changed-before`.
 */
export const CONFLICT_RULES: Readonly<Record<QueuedKind, Partial<Record<Meanwhile, ConflictRule>>>> = {
  book: {
    'slot-taken': refused('slot-taken', ['pick-another-time', 'dismiss']),
    'permission-lost': noAccess,
    'rule-broken': refused('not-allowed', ['pick-another-time', 'dismiss']),
  },
  confirm: {
    confirmed: merged,
    declined: gone,
    cancelled: gone,
    rescheduled: changed,
    expired: refused('expired', ['dismiss']),
    'permission-lost': noAccess,
    'rule-broken': ruleBroken,
    'other-change': applied,
  },
  decline: {
    confirmed: refused('changed-before', ['cancel', 'keep']),
    declined: merged,
    cancelled: merged,
    rescheduled: changed,
    expired: merged,
    'permission-lost': noAccess,
    'rule-broken': ruleBroken,
    'other-change': applied,
  },
  cancel: {
    // Confirmed meanwhile: the booking still holds the time the user wanted to give up.
    confirmed: applied,
    declined: merged,
    cancelled: merged,
    // Moved by someone else: the time the user cancelled is not the booking's time any more; they decide again.
    rescheduled: refused('changed-before', ['cancel', 'keep']),
    expired: merged,
    'permission-lost': noAccess,
    'rule-broken': ruleBroken,
    'other-change': applied,
  },
  reschedule: {
    confirmed: applied,
    declined: gone,
    cancelled: gone,
    rescheduled: refused('changed-before', ['pick-another-time', 'keep']),
    'slot-taken': refused('slot-taken', ['pick-another-time', 'keep']),
    expired: refused('expired', ['dismiss']),
    'permission-lost': noAccess,
    'rule-broken': refused('not-allowed', ['pick-another-time', 'keep']),
    'other-change': applied,
  },
  'check-in': {
    confirmed: applied,
    declined: gone,
    cancelled: gone,
    rescheduled: changed,
    expired: gone,
    'permission-lost': noAccess,
    'rule-broken': ruleBroken,
    'other-change': refused('changed-before', ['keep']),
  },
  'no-show': {
    confirmed: applied,
    declined: gone,
    cancelled: gone,
    rescheduled: changed,
    expired: gone,
    'permission-lost': noAccess,
    'rule-broken': ruleBroken,
    'other-change': refused('changed-before', ['keep']),
  },
  // Reading commutes with everything that can happen to a booking; the server answers a repeated read as done. Only
  // a notification the user may no longer see can refuse it, and then there is nothing left to read.
  'mark-read': {
    'permission-lost': merged,
    'other-change': merged,
  },
};

const FALLBACK: ConflictRule = refused('changed-before', ['dismiss']);

export function conflictRule(kind: QueuedKind, meanwhile: Meanwhile): ConflictRule {
  return CONFLICT_RULES[kind][meanwhile] ?? FALLBACK;
}

const BY_STATUS: Partial<Record<BookingStatus, Meanwhile>> = {
  confirmed: 'confirmed',
  declined: 'declined',
  cancelled: 'cancelled',
  expired: 'expired',
};

const RULE_CODES: readonly string[] = [
  'BOOKING_CANCELLATION_WINDOW_CLOSED',
  'BOOKING_NOT_STARTED',
  'BOOKING_IN_PAST',
  'BOOKING_OUTSIDE_OPENING_HOURS',
  'BOOKING_NOT_ON_SLOT_BOUNDARY',
  'VALIDATION_FAILED',
] satisfies ErrorCode[];

/**
 * Names what happened meanwhile from the server's refusal and the booking as it is now (null when it could not be
 * read). Status changes come first: a booking both moved and cancelled is, to the user, cancelled.
 */
export function classifyMeanwhile(code: string, expected: Booking | null, current: Booking | null): Meanwhile {
  if (code === 'FORBIDDEN' || code === 'NOT_FOUND') return 'permission-lost';
  if (code === 'BOOKING_SLOT_TAKEN') return 'slot-taken';
  if (RULE_CODES.includes(code)) return 'rule-broken';
  if (!current) return 'permission-lost';
  if (expected && current.status !== expected.status) return BY_STATUS[current.status] ?? 'other-change';
  if (
    expected &&
    (current.startAt !== expected.startAt ||
      current.endAt !== expected.endAt ||
      current.resourceId !== expected.resourceId)
  ) {
    return 'rescheduled';
  }
  return 'other-change';
}
