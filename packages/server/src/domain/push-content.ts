import type { Notification, NotificationCategory, PushAction, PushPayload, Role } from '@slotcast/protocol';

/** How long a push may wait for an offline device, and how urgently to wake it, per category (RFC 8030 §5.2, §5.3). */
export const PUSH_DELIVERY: Record<NotificationCategory, { ttlSeconds: number; urgency: 'low' | 'normal' | 'high' }> = {
  // Staff should answer a request before it expires; waking the phone is worth it.
  request: { ttlSeconds: 60 * 60, urgency: 'high' },
  confirmation: { ttlSeconds: 24 * 3600, urgency: 'normal' },
  decline: { ttlSeconds: 24 * 3600, urgency: 'high' },
  cancellation: { ttlSeconds: 24 * 3600, urgency: 'high' },
  change: { ttlSeconds: 24 * 3600, urgency: 'high' },
  expiry: { ttlSeconds: 12 * 3600, urgency: 'normal' },
  reminder: { ttlSeconds: 2 * 3600, urgency: 'normal' },
  // Check-in and no-show: worth knowing, not worth waking a phone for.
  attendance: { ttlSeconds: 12 * 3600, urgency: 'low' },
  system: { ttlSeconds: 24 * 3600, urgency: 'low' },
};

/**
 * The buttons a push offers, by who receives it and what happened. Staff may answer a request from the
 * notification; a customer may cancel a booking that still stands. View is always there and needs no token.
 */
export function pushActions(role: Role, category: NotificationCategory, bookingLive: boolean): PushAction[] {
  if (role === 'staff' && category === 'request' && bookingLive) return ['view', 'confirm', 'decline'];
  if (role === 'customer' && bookingLive && (category === 'confirmation' || category === 'change'))
    return ['view', 'cancel'];
  return ['view'];
}

export const ACTION_TITLES: Record<PushAction, string> = {
  view: 'View',
  cancel: 'Cancel booking',
  confirm: 'Confirm',
  decline: 'Decline',
};

/**
 * The Web Push Topic (and FCM/APNs collapse key) of a notification: one per booking, so a newer change of a booking
 * replaces an older one still queued for an offline device. At most 32 URL-safe base64 characters (RFC 8030 §5.4):
 * the booking's 16 UUID bytes take 22.
 */
export function collapseKey(n: Pick<Notification, 'id' | 'bookingId'>): string {
  return Buffer.from((n.bookingId ?? n.id).replaceAll('-', ''), 'hex').toString('base64url');
}

/** Where a click on the notification leads. */
export function deepLink(n: Pick<Notification, 'bookingId'>): string {
  return n.bookingId ? `/bookings/${n.bookingId}` : '/notifications';
}

/** The payload with the body cut (never the title or tokens) until its JSON fits `maxBytes`. */
export function fitPayload(p: PushPayload, maxBytes: number): string {
  let json = JSON.stringify(p);
  let body = p.body;
  while (Buffer.byteLength(json) > maxBytes && body.length > 0) {
    const over = Buffer.byteLength(json) - maxBytes;
    body = body.slice(0, Math.max(0, body.length - over - 1));
    json = JSON.stringify({ ...p, body: `${body}…` });
  }
  if (Buffer.byteLength(json) > maxBytes) throw new Error('push payload does not fit even without its body');
  return json;
}
