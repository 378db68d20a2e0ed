import { LastUserRecord, readCachedBookings } from '@slotcast/client';
import type { Booking } from '@slotcast/protocol';

let first: { userId: string; read: Promise<Booking[] | null> } | null = null;

/**
 * At boot, before the app renders: the last signed-in user's cached bookings, read while the scripts start and the
 * session is restored, so a reload (offline above all) paints them without waiting for the store's code to load.
 */
export function startFirstRead(): void {
  if (typeof indexedDB === 'undefined') return;
  const user = new LastUserRecord().load();
  if (!user) return;
  performance.mark('slotcast:store-open');
  const read = readCachedBookings(user.id).then((bookings) => {
    performance.mark('slotcast:store-read');
    return bookings;
  });
  first = { userId: user.id, read: read.catch(() => null) };
}

/** The boot read, once, if it was for this user (another user signed in since: null, read the store as usual). */
export function takeFirstRead(userId: string): Promise<Booking[] | null> | null {
  const mine = first?.userId === userId ? first.read : null;
  first = null;
  return mine;
}
