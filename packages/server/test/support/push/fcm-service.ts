import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { importSPKI, jwtVerify } from 'jose';

export interface FcmMessage {
  token: string;
  notification: { title: string; body: string };
  data: Record<string, string>;
  android: { collapse_key: string; ttl: string; priority: string };
}

/**
 * FCM HTTP v1 on loopback, checking what Google checks: the OAuth 2.0 JWT-bearer grant (RFC 7523) with an RS256
 * assertion signed by the service account's key, `iss` = its client_email, `aud` = the token URI, the
 * firebase.messaging scope, at most an hour long; then `messages:send` only with an issued access token, for this
 * project, with a message whose data values are all strings and whose TTL reads like "3600s".
 */
export class FcmService {
  readonly sent: FcmMessage[] = [];
  readonly exchanges: number[] = [];
  /** Tokens answered with 404 UNREGISTERED (uninstalled app). */
  readonly unregistered = new Set<string>();
  private readonly accessTokens = new Set<string>();
  private server!: http.Server;
  private readonly keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  url = '';
  readonly projectId = 'slotcast-test';
  readonly clientEmail = 'push@slotcast-test.iam.gserviceaccount.com';

  /** What a Google service-account JSON key file holds. */
  serviceAccount() {
    return {
      type: 'service_account',
      project_id: this.projectId,
      client_email: this.clientEmail,
      private_key: this.keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      token_uri: `${this.url}/token`,
    };
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () =>
        this.handle(req, Buffer.concat(chunks).toString('utf8')).then(
          ([status, body]) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
          (err: Error) => res.writeHead(400).end(JSON.stringify({ error: err.message })),
        ),
      );
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  private async handle(req: http.IncomingMessage, body: string): Promise<[number, unknown]> {
    if (req.method === 'POST' && req.url === '/token') {
      if (req.headers['content-type'] !== 'application/x-www-form-urlencoded')
        return [400, { error: 'invalid_request' }];
      const form = new URLSearchParams(body);
      if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer')
        return [400, { error: 'unsupported_grant_type' }];
      try {
        const key = await importSPKI(this.keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'RS256');
        const { payload } = await jwtVerify(form.get('assertion') ?? '', key, {
          algorithms: ['RS256'],
          issuer: this.clientEmail,
          audience: `${this.url}/token`,
        });
        if (payload.scope !== 'https://www.googleapis.com/auth/firebase.messaging') throw new Error('scope');
        if (typeof payload.iat !== 'number' || typeof payload.exp !== 'number' || payload.exp - payload.iat > 3600)
          throw new Error('lifetime');
      } catch (err) {
        return [400, { error: 'invalid_grant', error_description: (err as Error).message }];
      }
      const token = `ya29.${randomBytes(24).toString('base64url')}`;
      this.accessTokens.add(token);
      this.exchanges.push(Date.now());
      return [200, { access_token: token, expires_in: 3599, token_type: 'Bearer' }];
    }
    const send = /^\/v1\/projects\/([\w-]+)\/messages:send$/.exec(req.url ?? '');
    if (req.method === 'POST' && send) {
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!bearer || !this.accessTokens.has(bearer)) return [401, { error: { status: 'UNAUTHENTICATED' } }];
      if (send[1] !== this.projectId) return [403, { error: { status: 'PERMISSION_DENIED' } }];
      const { message } = JSON.parse(body) as { message: FcmMessage };
      const problems: string[] = [];
      if (typeof message?.token !== 'string') problems.push('message.token');
      if (typeof message?.notification?.title !== 'string') problems.push('notification.title');
      if (Object.values(message?.data ?? {}).some((v) => typeof v !== 'string')) problems.push('data values');
      if (!/^\d+(\.\d{1,9})?s$/.test(message?.android?.ttl ?? '')) problems.push('android.ttl');
      if (!['NORMAL', 'HIGH'].includes(message?.android?.priority)) problems.push('android.priority');
      if (problems.length) return [400, { error: { status: 'INVALID_ARGUMENT', message: problems.join(', ') } }];
      if (this.unregistered.has(message.token))
        return [404, { error: { status: 'NOT_FOUND', details: [{ errorCode: 'UNREGISTERED' }] } }];
      this.sent.push(message);
      return [200, { name: `projects/${this.projectId}/messages/${randomBytes(8).toString('hex')}` }];
    }
    return [404, { error: 'not found' }];
  }
}
