/// <reference lib="webworker" />
import type { PushAction, PushPayload } from '@slotcast/protocol';
import { type NotificationData, notificationTag, titleFor } from './notification-shape.js';

/**
 * Push in the service worker: a push becomes a system notification, one per booking (`tag`), so a newer change
 * replaces the older and several read "3 updates"; its buttons run the one change their action token allows; a
 * click focuses an open window (or opens one) on the booking. Nothing is shown while a visible window is open: the
 * live socket already showed the change there, so the push is handed to that window instead.
 */

/** Messages between the service worker and the app's windows. */
export type SwToWindow = { type: 'slotcast:push'; payload: PushPayload } | { type: 'slotcast:open'; url: string };

const ACTION_DONE: Partial<Record<PushAction, string>> = {
  confirm: 'Booking confirmed',
  decline: 'Booking declined',
  cancel: 'Booking cancelled',
};

export function isPushPayload(v: unknown): v is PushPayload {
  const p = v as Partial<PushPayload> | null;
  return (
    !!p &&
    p.v === 1 &&
    typeof p.id === 'string' &&
    typeof p.title === 'string' &&
    typeof p.url === 'string' &&
    Array.isArray(p.actions)
  );
}

export function registerPush(sw: ServiceWorkerGlobalScope, apiBase = '/api/v1'): void {
  sw.addEventListener('push', (event) => {
    let payload: unknown;
    try {
      payload = event.data?.json();
    } catch {
      return;
    }
    if (!isPushPayload(payload)) return;
    event.waitUntil(onPush(sw, payload));
  });

  sw.addEventListener('notificationclick', (event) => {
    const n = event.notification;
    const data = n.data as NotificationData | undefined;
    n.close();
    if (!data) return;
    const token = event.action ? data.tokens[event.action as PushAction] : undefined;
    event.waitUntil(
      Promise.all([
        token ? runAction(sw, apiBase, event.action as PushAction, token, data) : openApp(sw, data.url),
        countOpened(apiBase, data.opens ?? []),
      ]),
    );
  });
}

async function onPush(sw: ServiceWorkerGlobalScope, p: PushPayload): Promise<void> {
  const windows = await sw.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const visible = windows.filter((w) => w.visibilityState === 'visible');
  if (visible.length > 0) {
    // The app is in front with its socket: it showed this already. Hand it over in case the socket was down.
    for (const w of visible) w.postMessage({ type: 'slotcast:push', payload: p } satisfies SwToWindow);
    return;
  }
  const tag = notificationTag(p);
  const [previous] = await sw.registration.getNotifications({ tag });
  const before = previous?.data as NotificationData | undefined;
  // A push delivered twice (a retry after a lost acknowledgement) is shown once.
  if (before?.id === p.id) return;
  const count = (before?.count ?? 0) + 1;
  const tokens: NotificationData['tokens'] = {};
  for (const a of p.actions) if (a.token) tokens[a.action] = a.token;
  // Buttons that change something first; View is also the notification's own click. Chrome shows two.
  const max = (Notification as unknown as { maxActions?: number }).maxActions ?? 2;
  const actions = [...p.actions.filter((a) => a.action !== 'view'), ...p.actions.filter((a) => a.action === 'view')]
    .slice(0, max)
    .map((a) => ({ action: a.action, title: a.title }));
  // A grouped notification stands for every push it replaced: a click opens them all.
  const opens = [...(before?.opens ?? []), ...(p.open ? [p.open] : [])].slice(-MAX_OPEN_MARKS);
  const data: NotificationData = { id: p.id, bookingId: p.bookingId, url: p.url, count, tokens, opens };
  await sw.registration.showNotification(titleFor(p.title, count), {
    body: p.body,
    tag,
    // A replaced notification alerts again: it carries news.
    renotify: count > 1,
    icon: '/icons/icon-192.png',
    badge: '/icons/badge-96.png',
    timestamp: Date.now(),
    data,
    actions,
  } as NotificationOptions);
}

async function runAction(
  sw: ServiceWorkerGlobalScope,
  apiBase: string,
  action: PushAction,
  token: string,
  data: NotificationData,
): Promise<void> {
  let ok = false;
  try {
    const res = await fetch(`${apiBase}/push/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
      credentials: 'omit',
    });
    ok = res.ok;
  } catch {
    ok = false;
  }
  const tag = notificationTag(data);
  await sw.registration.showNotification(ok ? (ACTION_DONE[action] ?? 'Done') : 'That did not work', {
    body: ok ? '' : 'The booking may have changed meanwhile. Open Slotcast to see it.',
    tag,
    icon: '/icons/icon-192.png',
    badge: '/icons/badge-96.png',
    data: { ...data, id: `${data.id}:${action}`, count: 0, tokens: {}, opens: [] } satisfies NotificationData,
  });
}

/** As many as the route takes at once (PushOpensRequest). */
const MAX_OPEN_MARKS = 20;

/**
 * The pushes behind a clicked notification (or one of its buttons) count as opened. The marks are the authority, not
 * a session (a service worker holds none); a failure costs only the count.
 */
async function countOpened(apiBase: string, marks: string[]): Promise<void> {
  if (marks.length === 0) return;
  await fetch(`${apiBase}/push/opens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ marks }),
    credentials: 'omit',
  }).catch(() => undefined);
}

/** Focus a window of the app and route it to `url` (no reload: the socket stays), or open a new one there. */
async function openApp(sw: ServiceWorkerGlobalScope, url: string): Promise<void> {
  const windows = await sw.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const target = windows.find((w) => w.focused) ?? windows[0];
  if (target) {
    target.postMessage({ type: 'slotcast:open', url } satisfies SwToWindow);
    await target.focus();
    return;
  }
  await sw.clients.openWindow(url);
}
