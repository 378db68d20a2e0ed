import { createDecipheriv, createECDH, type ECDH, hkdfSync, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { importJWK, jwtVerify } from 'jose';
import { LRUCache } from 'lru-cache';

/** A browser's side of a subscription: the keys a real browser would make, and the private half to decrypt with. */
export interface TestDevice {
  name: string;
  endpoint: string;
  keys: { p256dh: string; auth: string };
  ecdh: ECDH;
  authSecret: Buffer;
}

export interface ReceivedPush {
  device: string;
  /** The decrypted payload, as the service worker would get it. */
  payload: string;
  bodyBytes: number;
  /** When the service accepted it (Date.now()). */
  at: number;
  ttl: number;
  urgency: string | undefined;
  topic: string | undefined;
  vapid: { aud: string; sub: string; exp: number; publicKey: string };
}

type VapidClaims = { aud: string; sub: string; exp: number };

/**
 * A Web Push service on loopback that checks what push services check: the VAPID JWT (RFC 8292: ES256 signature by
 * the key in `k`, `aud` = this origin, `exp` within 24 h, `sub` a mailto:/https: contact), that `k` is the
 * applicationServerKey the device subscribed with, TTL and Content-Encoding: aes128gcm, a body of at most 4096
 * bytes; and, like the browser, decrypts the payload (RFC 8291) with the device's private key. A JWT verified once is
 * known by its exact string (and key) until it expires, as a push service keeps it.
 *
 * Scripted answers per device (e.g. 503 then 201, or 410); a device marked offline keeps pushes queued, and a new
 * push with the same Topic replaces a queued one (RFC 8030 §5.4).
 */
export class WebPushService {
  readonly received: ReceivedPush[] = [];
  /** Every request that reached the service, accepted or not. */
  readonly attempts: { device: string; status: number; topic: string | undefined }[] = [];
  private readonly script = new Map<string, number[]>();
  private readonly offline = new Map<string, ReceivedPush[]>();
  private readonly holds = new Map<string, { gate: Promise<void>; waiting: number }>();
  private server!: https.Server;
  /**
   * JWTs already verified, by their exact string and key, until they expire: a sender signs one per push service and
   * reuses it for hours, and a push service checks its signature once, not once per push.
   */
  private readonly verified = new LRUCache<string, VapidClaims>({ max: 1_000 });
  origin = '';

  constructor(
    private readonly tls: { key: string; cert: string },
    /** The applicationServerKey subscriptions are made with (the server's VAPID public key). */
    private readonly applicationServerKey: string,
  ) {}

  async start(): Promise<void> {
    this.server = https.createServer(this.tls, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.handle(req, Buffer.concat(chunks)).then(
          ({ status, message }) => {
            res.writeHead(status, { 'content-type': 'text/plain' }).end(message);
          },
          (err: Error) => res.writeHead(400).end(err.message),
        );
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.origin = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  device(name: string): TestDevice {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const authSecret = randomBytes(16);
    return {
      name,
      endpoint: `${this.origin}/push/${name}`,
      keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: authSecret.toString('base64url') },
      ecdh,
      authSecret,
    };
  }

  private readonly devices = new Map<string, TestDevice>();
  register(d: TestDevice): TestDevice {
    this.devices.set(d.name, d);
    return d;
  }

  /** The next answers for a device, in order; after them, 201. */
  answer(device: string, ...statuses: number[]): void {
    this.script.set(device, [...(this.script.get(device) ?? []), ...statuses]);
  }

  /**
   * A slow push service for one device: its pushes wait unanswered (nothing checked, nothing accepted) until
   * `release`; `waiting` counts the requests that arrived meanwhile.
   */
  hold(device: string): { waiting: () => number; release: () => void } {
    let release!: () => void;
    const h = { gate: new Promise<void>((r) => (release = r)), waiting: 0 };
    this.holds.set(device, h);
    return {
      waiting: () => h.waiting,
      release: () => {
        this.holds.delete(device);
        release();
      },
    };
  }

  setOffline(device: string, offline: boolean): ReceivedPush[] {
    const queued = this.offline.get(device) ?? [];
    if (offline) this.offline.set(device, queued);
    else {
      this.offline.delete(device);
      this.received.push(...queued);
    }
    return queued;
  }

  queued(device: string): ReceivedPush[] {
    return this.offline.get(device) ?? [];
  }

  to(device: string): ReceivedPush[] {
    return this.received.filter((p) => p.device === device);
  }

  private async handle(req: IncomingMessage, body: Buffer): Promise<{ status: number; message: string }> {
    const name = /^\/push\/([\w-]+)$/.exec(req.url ?? '')?.[1];
    const device = name ? this.devices.get(name) : undefined;
    if (req.method !== 'POST' || !device) return { status: 404, message: 'no such subscription' };
    const held = this.holds.get(device.name);
    if (held) {
      held.waiting++;
      await held.gate;
    }
    const reply = (status: number, message = '') => {
      this.attempts.push({ device: device.name, status, topic: req.headers.topic as string | undefined });
      return { status, message };
    };

    const auth = /^vapid t=([\w.-]+), k=([\w-]+)$/.exec(req.headers.authorization ?? '');
    if (!auth) return reply(401, 'missing VAPID authorization');
    const [, jwt, k] = auth as unknown as [string, string, string];
    if (k !== this.applicationServerKey) return reply(403, 'k is not the key the subscription was made with');
    const now = Math.floor(Date.now() / 1000);
    let claims: VapidClaims | undefined = this.verified.get(`${k} ${jwt}`);
    // Seen and verified before: only its expiry can have changed.
    if (claims && claims.exp <= now) return reply(403, 'VAPID JWT refused: "exp" claim timestamp check failed');
    if (!claims) {
      const point = Buffer.from(k, 'base64url');
      const key = await importJWK(
        {
          kty: 'EC',
          crv: 'P-256',
          x: point.subarray(1, 33).toString('base64url'),
          y: point.subarray(33, 65).toString('base64url'),
        },
        'ES256',
      );
      try {
        const { payload } = await jwtVerify(jwt, key, { algorithms: ['ES256'], audience: this.origin });
        claims = payload as unknown as VapidClaims;
      } catch (err) {
        return reply(403, `VAPID JWT refused: ${(err as Error).message}`);
      }
      if (typeof claims.exp !== 'number' || claims.exp > now + 24 * 3600) return reply(403, 'exp beyond 24 hours');
      if (!/^(mailto:|https:)/.test(claims.sub ?? '')) return reply(403, 'sub is not a mailto: or https: contact');
      this.verified.set(`${k} ${jwt}`, claims);
    }

    const ttl = Number(req.headers.ttl);
    if (req.headers.ttl === undefined || !Number.isInteger(ttl) || ttl < 0) return reply(400, 'TTL header required');
    if (req.headers['content-encoding'] !== 'aes128gcm') return reply(415, 'Content-Encoding must be aes128gcm');
    if (body.length > 4096) return reply(413, 'payload too large');
    const topic = req.headers.topic as string | undefined;
    if (topic !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(topic)) return reply(400, 'Topic: 32 base64url chars');

    const scripted = this.script.get(device.name)?.shift();
    if (scripted !== undefined && scripted !== 201) return reply(scripted, 'scripted');

    const push: ReceivedPush = {
      device: device.name,
      payload: decrypt(body, device).toString('utf8'),
      bodyBytes: body.length,
      at: Date.now(),
      ttl,
      urgency: req.headers.urgency as string | undefined,
      topic,
      vapid: { aud: this.origin, sub: claims.sub, exp: claims.exp, publicKey: k },
    };
    const queue = this.offline.get(device.name);
    if (queue) {
      const same = topic === undefined ? -1 : queue.findIndex((q) => q.topic === topic);
      if (same >= 0) queue.splice(same, 1);
      queue.push(push);
    } else this.received.push(push);
    return reply(201);
  }
}

/** RFC 8291 decryption as a browser does it: ECDH with the sender's key from the header, HKDF, AES-128-GCM. */
export function decrypt(body: Buffer, device: Pick<TestDevice, 'ecdh' | 'authSecret'>): Buffer {
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20]!;
  const senderPublic = body.subarray(21, 21 + idlen);
  const records = body.subarray(21 + idlen);
  if (records.length > rs) throw new Error('more than one record');
  const receiverPublic = device.ecdh.getPublicKey();
  const shared = device.ecdh.computeSecret(senderPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), receiverPublic, senderPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', shared, device.authSecret, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(records.subarray(records.length - 16));
  const plain = Buffer.concat([decipher.update(records.subarray(0, records.length - 16)), decipher.final()]);
  // Last record: data, then the delimiter 0x02, then zero padding.
  let end = plain.length - 1;
  while (end >= 0 && plain[end] === 0) end--;
  if (plain[end] !== 2) throw new Error('no last-record delimiter');
  return plain.subarray(0, end);
}
