import type { NotificationCategory } from '@slotcast/protocol';

const NOUN: Record<NotificationCategory, [string, string]> = {
  request: ['new request', 'new requests'],
  confirmation: ['booking confirmed', 'bookings confirmed'],
  decline: ['request declined', 'requests declined'],
  cancellation: ['booking cancelled', 'bookings cancelled'],
  change: ['booking changed', 'bookings changed'],
  expiry: ['request expired', 'requests expired'],
  reminder: ['reminder', 'reminders'],
  attendance: ['check-in update', 'check-in updates'],
  system: ['message', 'messages'],
};

type HoldReason = 'quiet' | 'batch' | 'hourly' | 'daily';

/**
 * What a digest's title starts with: "While you were away" when any of it waited for quiet hours to end; else the
 * vendor's name when every item is about one vendor's bookings ("Studio Mira: 4 new requests"); else by why it waited.
 */
export function digestHeading(
  items: readonly { reason: HoldReason; bookingId: string | null }[],
  vendorOfBooking: ReadonlyMap<string, string>,
): string {
  if (items.some((i) => i.reason === 'quiet')) return 'While you were away';
  const vendors = new Set(items.map((i) => (i.bookingId ? vendorOfBooking.get(i.bookingId) : undefined)));
  const [only] = vendors;
  if (vendors.size === 1 && only) return only;
  if (items.some((i) => i.reason === 'daily')) return 'Today';
  if (items.some((i) => i.reason === 'hourly')) return 'This hour';
  return 'Slotcast';
}

/**
 * One message for several notifications: "While you were away: 3 bookings changed, 1 new request", or
 * "Studio Mira: 4 new requests". Categories in order of first appearance; the body lists the titles (at most five,
 * then "and N more").
 */
export function digestMessage(
  items: readonly { category: NotificationCategory; title: string }[],
  heading = 'While you were away',
): {
  title: string;
  body: string;
} {
  const counts = new Map<NotificationCategory, number>();
  for (const i of items) counts.set(i.category, (counts.get(i.category) ?? 0) + 1);
  const parts = [...counts].map(([c, n]) => `${n} ${NOUN[c][n === 1 ? 0 : 1]}`);
  const shown = items.slice(0, 5).map((i) => i.title);
  const more = items.length - shown.length;
  return {
    title: `${heading}: ${parts.join(', ')}`,
    body: shown.join('\n') + (more > 0 ? `\nand ${more} more` : ''),
  };
}
