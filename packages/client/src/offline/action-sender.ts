import type { Booking } from '@slotcast/protocol';
import type { ApiClient } from '../api-client.js';
import type { QueuedAction } from './queued-action.js';

/** Sends one queued action to the server; returns the booking it produced (null for mark-read). */
export type ActionSender = (action: QueuedAction) => Promise<Booking | null>;
/** Reads the booking as it is now on the server (after a refusal that did not carry it). */
export type BookingReader = (bookingId: string) => Promise<Booking>;

/** Queued actions through the SDK's public API, each with the Idempotency-Key it was given when taken. */
export function sdkActionSender(api: ApiClient): ActionSender {
  return async (a) => {
    const opts = { idempotencyKey: a.idempotencyKey };
    const p = a.payload;
    switch (p.kind) {
      case 'book':
        return api.bookings.create(p.input, opts);
      case 'reschedule':
        return api.bookings.reschedule(a.bookingId!, { ...p.input, version: a.expected!.version }, opts);
      case 'mark-read':
        await api.notifications.markRead(p.notificationId);
        return null;
      default:
        return api.bookings.transition(
          a.bookingId!,
          p.kind,
          { version: a.expected!.version, ...(p.reason ? { reason: p.reason } : {}) },
          opts,
        );
    }
  };
}

export const sdkBookingReader =
  (api: ApiClient): BookingReader =>
  (id) =>
    api.bookings.get(id);
