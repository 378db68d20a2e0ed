import { importPKCS8, SignJWT } from 'jose';
import type { PushSubscriptionRow } from '../store/push-repo.js';
import { outcomeOfStatus, type PushMessage, type PushOutcome, type PushSender, retryAfter } from './push-provider.js';

/** The fields of a Google service-account JSON key that the exchange needs. */
export interface ServiceAccount {
  project_id: string;
  client_email: string;
  private_key: string;
  token_uri: string;
}

const SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';

/**
 * Firebase Cloud Messaging HTTP v1: a service-account JWT (RS256) is exchanged for an OAuth access token
 * (RFC 7523 JWT bearer grant), kept until shortly before it expires, then `projects/<id>/messages:send`.
 */
export class FcmSender implements PushSender {
  readonly kind = 'fcm' as const;
  private token: { value: string; until: number } | null = null;
  private pending: Promise<string> | null = null;

  constructor(
    private readonly account: ServiceAccount,
    /** https://fcm.googleapis.com, or a local endpoint in tests. */
    private readonly apiUrl: string,
    private readonly now: () => number = Date.now,
  ) {}

  async send(device: PushSubscriptionRow, m: PushMessage): Promise<PushOutcome> {
    let res: Response;
    try {
      const token = await this.accessToken();
      res = await fetch(`${this.apiUrl}/v1/projects/${encodeURIComponent(this.account.project_id)}/messages:send`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          message: {
            token: device.endpoint,
            notification: { title: m.title, body: m.body },
            data: { payload: m.payload },
            android: {
              collapse_key: m.collapseKey,
              ttl: `${m.ttlSeconds}s`,
              priority: m.urgency === 'high' ? 'HIGH' : 'NORMAL',
            },
          },
        }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch {
      return { kind: 'retry', status: 0 };
    }
    if (res.ok) return { kind: 'sent' };
    const text = await res.text();
    if (res.status === 401) this.token = null; // revoked or expired early: exchange again next time
    // FCM answers 404 UNREGISTERED (and 400 for a token that was never valid) for a device that is gone.
    if (res.status === 404 || /UNREGISTERED/.test(text)) return { kind: 'gone', status: res.status };
    return outcomeOfStatus(res.status, text, retryAfter(res.headers.get('retry-after')));
  }

  private async accessToken(): Promise<string> {
    if (this.token && this.token.until > this.now()) return this.token.value;
    // One exchange at a time: a burst of sends waits for the same token.
    this.pending ??= this.exchange().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async exchange(): Promise<string> {
    const key = await importPKCS8(this.account.private_key, 'RS256');
    const iat = Math.floor(this.now() / 1000);
    const assertion = await new SignJWT({ scope: SCOPE })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
      .setIssuer(this.account.client_email)
      .setAudience(this.account.token_uri)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 3600)
      .sign(key);
    const res = await fetch(this.account.token_uri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`FCM token exchange failed with ${res.status}`);
    const body = (await res.json()) as { access_token?: string; expires_in?: number };
    if (!body.access_token) throw new Error('FCM token exchange gave no access_token');
    // Renew a minute early so a token never expires between the check and the send.
    this.token = { value: body.access_token, until: this.now() + ((body.expires_in ?? 3600) - 60) * 1000 };
    return body.access_token;
  }
}
