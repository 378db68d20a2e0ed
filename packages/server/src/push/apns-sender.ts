import http2 from 'node:http2';
import { importPKCS8, SignJWT } from 'jose';
import type { PushSubscriptionRow } from '../store/push-repo.js';
import { outcomeOfStatus, type PushMessage, type PushOutcome, type PushSender, retryAfter } from './push-provider.js';

export interface ApnsSettings {
  /** https://api.push.apple.com (or api.sandbox.push.apple.com, or a local endpoint in tests). */
  url: string;
  /** The .p8 signing key (PKCS#8 PEM), its key id and the team id. */
  privateKey: string;
  keyId: string;
  teamId: string;
  /** The app's bundle id: the apns-topic of every push. */
  topic: string;
  /** Trusted CA (tests); default the system store. */
  ca?: string;
}

/** Apple rejects a provider token older than an hour and throttles one renewed more often than every 20 minutes. */
const TOKEN_REUSE_MS = 40 * 60_000;

/** APNs over HTTP/2 with an ES256 provider token, one long-lived connection per node. */
export class ApnsSender implements PushSender {
  readonly kind = 'apns' as const;
  private session: http2.ClientHttp2Session | null = null;
  private token: { value: string; at: number } | null = null;

  constructor(
    private readonly s: ApnsSettings,
    private readonly now: () => number = Date.now,
  ) {}

  async send(device: PushSubscriptionRow, m: PushMessage): Promise<PushOutcome> {
    let status: number;
    let body: string;
    let headers: http2.IncomingHttpHeaders;
    try {
      const token = await this.providerToken();
      const expiration = Math.floor(this.now() / 1000) + m.ttlSeconds;
      const aps = {
        aps: { alert: { title: m.title, body: m.body }, sound: 'default', 'mutable-content': 1 },
        payload: m.payload,
      };
      ({ status, body, headers } = await this.request(
        {
          ':method': 'POST',
          ':path': `/3/device/${device.endpoint}`,
          authorization: `bearer ${token}`,
          'apns-topic': this.s.topic,
          'apns-push-type': 'alert',
          'apns-priority': m.urgency === 'high' ? '10' : '5',
          'apns-expiration': String(expiration),
          // At most 64 bytes; a newer push with the same id replaces the one shown.
          'apns-collapse-id': m.collapseKey.slice(0, 64),
          'content-type': 'application/json',
        },
        JSON.stringify(aps),
      ));
    } catch {
      this.session?.destroy();
      this.session = null;
      return { kind: 'retry', status: 0 };
    }
    if (status === 200) return { kind: 'sent' };
    if (status === 0) return { kind: 'retry', status: 0 }; // stream cancelled (timeout) before an answer
    const reason = (() => {
      try {
        return String((JSON.parse(body) as { reason?: string }).reason ?? body);
      } catch {
        return body;
      }
    })();
    if (status === 403 && reason === 'ExpiredProviderToken') this.token = null;
    if (status === 410 || reason === 'BadDeviceToken' || reason === 'Unregistered') return { kind: 'gone', status };
    return outcomeOfStatus(status, reason, retryAfter(headers['retry-after']));
  }

  async close(): Promise<void> {
    const s = this.session;
    this.session = null;
    if (s && !s.closed) await new Promise<void>((r) => s.close(() => r()));
  }

  private async providerToken(): Promise<string> {
    const now = this.now();
    if (this.token && now - this.token.at < TOKEN_REUSE_MS) return this.token.value;
    const key = await importPKCS8(this.s.privateKey, 'ES256');
    const value = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: this.s.keyId })
      .setIssuer(this.s.teamId)
      .setIssuedAt(Math.floor(now / 1000))
      .sign(key);
    this.token = { value, at: now };
    return value;
  }

  private connect(): http2.ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    const session = http2.connect(this.s.url, this.s.ca ? { ca: this.s.ca } : {});
    session.on('error', () => {
      if (this.session === session) this.session = null;
    });
    session.on('close', () => {
      if (this.session === session) this.session = null;
    });
    session.unref();
    this.session = session;
    return session;
  }

  private request(
    headers: http2.OutgoingHttpHeaders,
    payload: string,
  ): Promise<{ status: number; body: string; headers: http2.IncomingHttpHeaders }> {
    return new Promise((resolve, reject) => {
      const req = this.connect().request(headers);
      req.setTimeout(10_000, () => req.close(http2.constants.NGHTTP2_CANCEL));
      let responseHeaders: http2.IncomingHttpHeaders = {};
      const chunks: Buffer[] = [];
      req.on('response', (h) => {
        responseHeaders = h;
      });
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () =>
        resolve({
          status: Number(responseHeaders[':status'] ?? 0),
          body: Buffer.concat(chunks).toString('utf8'),
          headers: responseHeaders,
        }),
      );
      req.on('error', reject);
      req.end(payload);
    });
  }
}
