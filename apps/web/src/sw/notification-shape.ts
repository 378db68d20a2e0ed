import type { PushAction } from '@slotcast/protocol';

/** What a system notification keeps for its click and for the next one about the same booking. */
export interface NotificationData {
  id: string;
  bookingId: string | null;
  url: string;
  /** How many changes it stands for ("3 updates"). */
  count: number;
  tokens: Partial<Record<PushAction, string>>;
  /** The `open` marks of the pushes it stands for: a click counts each as opened (POST /push/opens). */
  opens?: string[];
}

/** One system notification per booking: a newer change replaces the older. */
export const notificationTag = (n: { id: string; bookingId: string | null }) =>
  n.bookingId ? `booking-${n.bookingId}` : `notification-${n.id}`;

export const titleFor = (title: string, count: number) => (count > 1 ? `${count} updates · ${title}` : title);
