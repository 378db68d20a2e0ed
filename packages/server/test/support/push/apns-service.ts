import { generateKeyPairSync, randomUUID } from 'node:crypto';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { importSPKI, jwtVerify } from 'jose';

export interface ApnsPush {
  deviceToken: string;
  headers: Record<string, string>;
  body: { aps: { alert: { title: string; body: string } }; payload: string };
}

/**
 * APNs on loopback over HTTP/2 and TLS, checking what Apple checks: a provider token signed ES256 by the team's
 * key with that key's `kid` and the team as `iss`, issued within the last hour; `apns-topic` the app's bundle id;
 * `apns-push-type` present; `apns-collapse-id` at most 64 bytes; a JSON body with `aps` of at most 4096 bytes.
 */
export class ApnsService {
  readonly received: ApnsPush[] = [];
  readonly unregistered = new Set<string>();
  readonly keyId = 'ABC123DEFG';
  readonly teamId = 'TEAM123456';
  readonly topic = 'app.slotcast.ios';
  private readonly keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  private server!: http2.Http2SecureServer;
  url = '';

  constructor(private readonly tls: { key: string; cert: string }) {}

  /** The .p8 file Apple gives a team. */
  privateKeyPem(): string {
    return this.keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  }

  async start(): Promise<void> {
    this.server = http2.createSecureServer(this.tls);
    this.server.on('stream', (stream, headers) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        this.handle(headers, Buffer.concat(chunks)).then(([status, reason]) => {
          stream.respond({ ':status': status, 'apns-id': randomUUID() });
          stream.end(reason ? JSON.stringify({ reason }) : undefined);
        });
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    await new Promise((r) => this.server.close(r));
  }

  private async handle(h: http2.IncomingHttpHeaders, body: Buffer): Promise<[number, string | null]> {
    const device = /^\/3\/device\/([0-9a-fA-F]+)$/.exec(h[':path'] ?? '')?.[1];
    if (h[':method'] !== 'POST' || !device) return [404, 'BadPath'];
    const jwt = /^bearer (.+)$/.exec(String(h.authorization ?? ''))?.[1];
    if (!jwt) return [403, 'MissingProviderToken'];
    try {
      const key = await importSPKI(this.keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'ES256');
      const { payload, protectedHeader } = await jwtVerify(jwt, key, { algorithms: ['ES256'], issuer: this.teamId });
      if (protectedHeader.kid !== this.keyId) return [403, 'InvalidProviderToken'];
      if (typeof payload.iat !== 'number' || Date.now() / 1000 - payload.iat > 3600)
        return [403, 'ExpiredProviderToken'];
    } catch {
      return [403, 'InvalidProviderToken'];
    }
    if (h['apns-topic'] !== this.topic) return [400, 'TopicDisallowed'];
    if (!['alert', 'background'].includes(String(h['apns-push-type']))) return [400, 'InvalidPushType'];
    if (Buffer.byteLength(String(h['apns-collapse-id'] ?? '')) > 64) return [400, 'BadCollapseId'];
    if (body.length > 4096) return [413, 'PayloadTooLarge'];
    let json: ApnsPush['body'];
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return [400, 'PayloadEmpty'];
    }
    if (!json.aps) return [400, 'PayloadEmpty'];
    if (this.unregistered.has(device)) return [410, 'Unregistered'];
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(h)) if (!k.startsWith(':') && typeof v === 'string') headers[k] = v;
    this.received.push({ deviceToken: device, headers, body: json });
    return [200, null];
  }
}
