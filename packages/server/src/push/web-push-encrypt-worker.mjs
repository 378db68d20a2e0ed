// A worker thread of WebPushSender's pool (plain JavaScript, so it loads under node, tsx and vitest alike): builds one
// Web Push request with web-push's own generateRequestDetails, i.e. the RFC 8291 aes128gcm encryption with a fresh
// ECDH key pair and salt per message. The ECDH and HKDF work is what would otherwise hold the node's event loop.
import webpush from 'web-push';

/**
 * @param {{ subscription: { endpoint: string, keys: { p256dh: string, auth: string } }, payload: string,
 *   options: Record<string, unknown> }} task
 * @returns {{ method: string, headers: Record<string, string | number>, body: Uint8Array, endpoint: string }}
 */
export default function encrypt({ subscription, payload, options }) {
  const d = webpush.generateRequestDetails(subscription, payload, options);
  return { method: d.method, headers: d.headers, body: d.body, endpoint: d.endpoint };
}
