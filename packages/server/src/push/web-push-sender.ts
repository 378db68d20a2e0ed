import type { Agent } from 'node:https';
import webpush from 'web-push';
import type { PushSubscriptionRow } from '../store/push-repo.js';
import { outcomeOfStatus, type PushMessage, type PushOutcome, type PushSender, retryAfter } from './push-provider.js';

export interface VapidSettings {
  publicKey: string;
  privateKey: string;
  /** `mailto:` or `https:` contact the push service may use. */
  subject: string;
}

/** Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payload encryption (RFC 8291), by the `web-push` library. */
export class WebPushSender implements PushSender {
  readonly kind = 'webpush' as const;
  /** Signed VAPID headers per push service origin: one ES256 signature per service and 12 h, not one per push. */
  private readonly vapidHeaders = new Map<string, { authorization: string; renewAt: number }>();
  constructor(
    private readonly vapid: VapidSettings,
    /** Connections to the push services: kept alive, bounded per service (tests also trust a local CA there). */
    private readonly agent?: Agent,
  ) {}

  async send(device: PushSubscriptionRow, m: PushMessage): Promise<PushOutcome> {
    try {
      await webpush.sendNotification(
        { endpoint: device.endpoint, keys: { p256dh: device.p256dh ?? '', auth: device.auth ?? '' } },
        m.payload,
        {
          headers: { Authorization: this.authorization(device.endpoint) },
          TTL: m.ttlSeconds,
          urgency: m.urgency,
          topic: m.collapseKey,
          contentEncoding: 'aes128gcm',
          timeout: 10_000,
          ...(this.agent ? { agent: this.agent } : {}),
        },
      );
      return { kind: 'sent' };
    } catch (err) {
      if (err instanceof webpush.WebPushError) {
        return outcomeOfStatus(err.statusCode, err.body ?? err.message, retryAfter(err.headers?.['retry-after']));
      }
      // A network failure or timeout: the push service may be back soon.
      return { kind: 'retry', status: 0 };
    }
  }

  /** `vapid t=<JWT>, k=<key>` for the endpoint's origin (the JWT's `aud`), renewed an hour before it expires. */
  private authorization(endpoint: string, now = Date.now()): string {
    const audience = new URL(endpoint).origin;
    const cached = this.vapidHeaders.get(audience);
    if (cached && cached.renewAt > now) return cached.authorization;
    const expires = Math.floor(now / 1000) + VAPID_LIFETIME_S;
    const { Authorization } = webpush.getVapidHeaders(
      audience,
      this.vapid.subject,
      this.vapid.publicKey,
      this.vapid.privateKey,
      'aes128gcm',
      expires,
    );
    this.vapidHeaders.set(audience, { authorization: Authorization, renewAt: (expires - 3600) * 1000 });
    return Authorization;
  }
}

const VAPID_LIFETIME_S = 12 * 3600;

/** A new VAPID key pair (base64url, P-256). */
export function generateVapidKeys(): { publicKey: string; privateKey: string } {
  return webpush.generateVAPIDKeys();
}
