import type { ApiClient } from '@slotcast/client';

export type PushState = 'unsupported' | 'default' | 'denied' | 'granted';

/** Whether this browser can take pushes, and what the user said so far. iOS needs the app on the home screen. */
export function pushState(): PushState {
  if (typeof window === 'undefined' || !('Notification' in window) || !('serviceWorker' in navigator)) {
    return 'unsupported';
  }
  if (!('PushManager' in window)) return 'unsupported';
  return Notification.permission as PushState;
}

/**
 * Asks for permission (only ever from a click: browsers refuse or bury prompts nobody asked for), subscribes with
 * the server's VAPID key and registers the device. Resolves to the permission the user gave.
 */
export async function enablePush(api: ApiClient): Promise<PushState> {
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return permission as PushState;
  const registration = await navigator.serviceWorker.ready;
  const existing = await registration.pushManager.getSubscription();
  const subscription =
    existing ??
    (await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: await api.push.vapidKey(),
    }));
  const json = subscription.toJSON();
  if (!json.endpoint || !json.keys?.p256dh || !json.keys.auth) throw new Error('The browser gave no push keys');
  await api.push.subscribe({
    provider: 'webpush',
    endpoint: json.endpoint,
    keys: { p256dh: json.keys.p256dh, auth: json.keys.auth },
  });
  return 'granted';
}
