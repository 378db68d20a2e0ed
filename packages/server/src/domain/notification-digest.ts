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

/**
 * One message for what was held through quiet hours: "While you were away: 3 bookings changed, 1 new request".
 * Categories in order of first appearance; the body lists the titles (at most five, then "and N more").
 */
export function digestMessage(items: readonly { category: NotificationCategory; title: string }[]): {
  title: string;
  body: string;
} {
  const counts = new Map<NotificationCategory, number>();
  for (const i of items) counts.set(i.category, (counts.get(i.category) ?? 0) + 1);
  const parts = [...counts].map(([c, n]) => `${n} ${NOUN[c][n === 1 ? 0 : 1]}`);
  const shown = items.slice(0, 5).map((i) => i.title);
  const more = items.length - shown.length;
  return {
    title: `While you were away: ${parts.join(', ')}`,
    body: shown.join('\n') + (more > 0 ? `\nand ${more} more` : ''),
  };
}
