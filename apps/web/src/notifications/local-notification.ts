import type { Notification as SlotcastNotification } from '@slotcast/protocol';
import { type NotificationData, notificationTag, titleFor } from '../sw/notification-shape.js';

/**
 * A change that reached a hidden tab over the live socket becomes a system notification at once, rather than
 * waiting for the push. It has the push's tag and id, so the push that follows is recognised and not shown again.
 */
export async function notifyWhileHidden(n: SlotcastNotification): Promise<void> {
  if (document.visibilityState !== 'hidden') return;
  if (!('Notification' in window) || Notification.permission !== 'granted' || !('serviceWorker' in navigator)) return;
  const registration = await navigator.serviceWorker.getRegistration();
  if (!registration) return;
  const tag = notificationTag(n);
  const [previous] = await registration.getNotifications({ tag });
  const before = previous?.data as NotificationData | undefined;
  if (before?.id === n.id) return;
  const count = (before?.count ?? 0) + 1;
  const url = n.bookingId ? `/bookings/${n.bookingId}` : '/';
  const data: NotificationData = { id: n.id, bookingId: n.bookingId, url, count, tokens: {} };
  await registration.showNotification(titleFor(n.title, count), {
    body: n.body,
    tag,
    icon: '/icons/icon-192.png',
    badge: '/icons/badge-96.png',
    data,
  });
}
