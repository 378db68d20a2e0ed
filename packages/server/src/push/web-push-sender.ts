import https, { type Agent } from 'node:https';
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import webpush from 'web-push';
import type { PushSubscriptionRow } from '../store/push-repo.js';
import { outcomeOfStatus, type PushMessage, type PushOutcome, type PushSender, retryAfter } from './push-provider.js';

export interface VapidSettings {
  publicKey: string;
  privateKey: string;
  /** `mailto:` or `https:` contact the push service may use. */
  subject: string;
}

/**
 * What the worker encrypts: one message for several devices (web-push's generateRequestDetails arguments, without the
 * agent, which stays here). The payload and options travel once per message, not once per device.
 */
interface EncryptTask {
  items: { subscription: { endpoint: string; keys: { p256dh: string; auth: string } }; authorization: string }[];
  payload: string;
  options: {
    TTL: number;
    urgency: PushMessage['urgency'];
    topic: string;
    contentEncoding: 'aes128gcm';
  };
}

/** A Web Push request ready to post: headers (VAPID, TTL, Topic, ...) and the encrypted body. */
interface EncryptedRequest {
  method: string;
  headers: Record<string, string | number>;
  body: Uint8Array;
  endpoint: string;
}

/** A device whose keys web-push cannot use, or the pool was closed: tried again after the back-off, then given up. */
const UNUSABLE: PushOutcome = { kind: 'retry', status: 0 };

/**
 * Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payload encryption (RFC 8291), by the `web-push` library.
 * The encryption (one ECDH key pair and shared secret per message, as RFC 8291 requires) runs in a small pool of
 * worker threads (`web-push-encrypt-worker.mjs`), so a fan-out of thousands of pushes a second leaves the event loop
 * to the requests; the requests themselves go out here, over `agent`. A message goes to the pool once for all the
 * devices it is sent to (a customer's ten browsers: one hand-off, not ten).
 */
export class WebPushSender implements PushSender {
  readonly kind = 'webpush' as const;
  /** Signed VAPID headers per push service origin: one ES256 signature per service and 12 h, not one per push. */
  private readonly vapidHeaders = new Map<string, { authorization: string; renewAt: number }>();
  private readonly pool = new Piscina<EncryptTask, (EncryptedRequest | null)[]>({
    filename: new URL('./web-push-encrypt-worker.mjs', import.meta.url).href,
    // One thread per spare core, at most 4; one started at once, so the first pushes do not wait for it (a claim
    // whose sends outlast its lease would be claimed and sent again). Idle threads do not keep the process alive.
    minThreads: 1,
    maxThreads: Math.max(1, Math.min(4, availableParallelism() - 1)),
    idleTimeout: 60_000,
    // Plain JavaScript: no loader (tsx, vitest) to start in each thread.
    execArgv: [],
  });

  constructor(
    private readonly vapid: VapidSettings,
    /** Connections to the push services: kept alive, bounded per service (tests also trust a local CA there). */
    private readonly agent: Agent,
  ) {}

  async prepare(devices: readonly PushSubscriptionRow[], m: PushMessage): Promise<(() => Promise<PushOutcome>)[]> {
    let requests: (EncryptedRequest | null)[];
    try {
      requests = await this.pool.run({
        items: devices.map((device) => ({
          subscription: { endpoint: device.endpoint, keys: { p256dh: device.p256dh ?? '', auth: device.auth ?? '' } },
          authorization: this.authorization(device.endpoint),
        })),
        payload: m.payload,
        options: { TTL: m.ttlSeconds, urgency: m.urgency, topic: m.collapseKey, contentEncoding: 'aes128gcm' },
      });
    } catch {
      requests = [];
    }
    return devices.map((_, i) => {
      const request = requests[i];
      return request ? () => this.post(request) : async () => UNUSABLE;
    });
  }

  async send(device: PushSubscriptionRow, m: PushMessage): Promise<PushOutcome> {
    const [send] = await this.prepare([device], m);
    return send!();
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }

  private post(r: EncryptedRequest): Promise<PushOutcome> {
    return new Promise((resolve) => {
      const req = https.request(
        r.endpoint,
        { method: r.method, headers: r.headers, agent: this.agent, timeout: 10_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', () => resolve({ kind: 'retry', status: 0 }));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status <= 299) resolve({ kind: 'sent' });
            else {
              const reason = Buffer.concat(chunks).toString('utf8') || `HTTP ${status}`;
              resolve(outcomeOfStatus(status, reason, retryAfter(res.headers['retry-after'])));
            }
          });
        },
      );
      // A network failure or timeout: the push service may be back soon.
      req.on('timeout', () => req.destroy(new Error('push service timed out')));
      req.on('error', () => resolve({ kind: 'retry', status: 0 }));
      req.end(Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength));
    });
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
