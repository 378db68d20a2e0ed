// A worker thread of WebPushSender's pool (plain JavaScript, so it loads under node, tsx and vitest alike): builds the
// Web Push requests of one message for several devices with web-push's own generateRequestDetails, i.e. the RFC 8291
// aes128gcm encryption with a fresh ECDH key pair and salt per device. The ECDH and HKDF work is what would otherwise
// hold the node's event loop; one task per message, not per device, keeps the hand-offs few.
import webpush from 'web-push';

/**
 * @param {{ items: { subscription: { endpoint: string, keys: { p256dh: string, auth: string } }, authorization: string }[],
 *   payload: string, options: Record<string, unknown> }} task
 * @returns {({ method: string, headers: Record<string, string | number>, body: Uint8Array, endpoint: string } | null)[]}
 *   one request per item, or null for a device whose keys web-push cannot use
 */
export default function encrypt({ items, payload, options }) {
  return items.map(({ subscription, authorization }) => {
    try {
      const d = webpush.generateRequestDetails(subscription, payload, {
        ...options,
        headers: { Authorization: authorization },
      });
      return { method: d.method, headers: d.headers, body: d.body, endpoint: d.endpoint };
    } catch {
      return null;
    }
  });
}
