import type { Booking, BookingAction } from '@slotcast/protocol';
import type { CreateBookingInput, RescheduleInput } from '../bookings-api.js';

/** The actions that may be taken offline and sent later. */
export type QueuedKind = Exclude<BookingAction, 'complete'> | 'book' | 'reschedule' | 'mark-read';

export type QueuedPayload =
  | { kind: 'book'; input: CreateBookingInput }
  | { kind: 'reschedule'; input: Omit<RescheduleInput, 'version'> }
  | { kind: Exclude<QueuedKind, 'book' | 'reschedule' | 'mark-read'>; reason?: string }
  | { kind: 'mark-read'; notificationId: string };

export type QueuedState = 'pending' | 'syncing';

/**
 * One action in the outbox. `idempotencyKey` is fixed when the action is taken, so every resend (after a lost answer,
 * a reload, a crash) is the same request to the server, which applies it once. `expected` is the booking as the user
 * saw it: its version goes to the server, and it tells what changed meanwhile when the server refuses.
 */
export interface QueuedAction {
  /** Order of sending; assigned by IndexedDB. */
  seq?: number;
  kind: QueuedKind;
  payload: QueuedPayload;
  bookingId: string | null;
  expected: Booking | null;
  idempotencyKey: string;
  state: QueuedState;
  attempts: number;
  createdAt: number;
  lastError?: string;
  /** Set when the conflict table re-sent the action on a newer version (at most once). */
  rebasedFrom?: number | null;
}
