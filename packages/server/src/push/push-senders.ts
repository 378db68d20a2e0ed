import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { Agent } from 'node:https';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { ApnsSender } from './apns-sender.js';
import { FcmSender, type ServiceAccount } from './fcm-sender.js';
import type { PushSender } from './push-provider.js';
import { generateVapidKeys, type VapidSettings, WebPushSender } from './web-push-sender.js';

export interface PushSetup {
  senders: PushSender[];
  /** For browsers to subscribe with; null when Web Push is off. */
  vapidPublicKey: string | null;
}

/** The push providers the configuration enables. `ca`: an extra trusted CA for push services (tests). */
export async function createPushSenders(config: Config, logger: Logger, tls: { ca?: string } = {}): Promise<PushSetup> {
  const senders: PushSender[] = [];
  const vapid = await vapidSettings(config, logger);
  if (vapid) {
    // Kept-alive connections, at most as many per push service as pushes may be in flight: one TLS handshake per
    // connection, not per push, and never a burst of new connections to one service.
    const agent = new Agent({
      keepAlive: true,
      maxSockets: config.PUSH_SEND_CONCURRENCY,
      ...(tls.ca ? { ca: tls.ca } : {}),
    });
    senders.push(new WebPushSender(vapid, agent));
  }
  if (config.FCM_SERVICE_ACCOUNT_FILE) {
    const account = JSON.parse(await readFile(config.FCM_SERVICE_ACCOUNT_FILE, 'utf8')) as ServiceAccount;
    for (const field of ['project_id', 'client_email', 'private_key', 'token_uri'] as const) {
      if (typeof account[field] !== 'string') throw new Error(`FCM_SERVICE_ACCOUNT_FILE: "${field}" is missing`);
    }
    senders.push(new FcmSender(account, config.FCM_API_URL));
  }
  if (config.APNS_KEY_FILE && config.APNS_KEY_ID && config.APNS_TEAM_ID && config.APNS_TOPIC) {
    senders.push(
      new ApnsSender({
        url: config.APNS_URL,
        privateKey: await readFile(config.APNS_KEY_FILE, 'utf8'),
        keyId: config.APNS_KEY_ID,
        teamId: config.APNS_TEAM_ID,
        topic: config.APNS_TOPIC,
        ca: tls.ca,
      }),
    );
  }
  return { senders, vapidPublicKey: vapid?.publicKey ?? null };
}

/** VAPID keys from the settings; outside production, made once and kept in DATA_DIR so subscriptions survive restarts. */
async function vapidSettings(config: Config, logger: Logger): Promise<VapidSettings | null> {
  if (config.VAPID_PUBLIC_KEY && config.VAPID_PRIVATE_KEY) {
    return { publicKey: config.VAPID_PUBLIC_KEY, privateKey: config.VAPID_PRIVATE_KEY, subject: config.VAPID_SUBJECT };
  }
  if (config.NODE_ENV === 'production') {
    logger.warn('VAPID_PUBLIC_KEY/VAPID_PRIVATE_KEY unset: Web Push is off');
    return null;
  }
  const file = path.resolve(config.DATA_DIR, 'vapid.json');
  const keys = (await readKeys(file)) ?? (await createKeys(file, config.DATA_DIR, logger));
  return { ...keys, subject: config.VAPID_SUBJECT };
}

type VapidKeys = { publicKey: string; privateKey: string };

async function readKeys(file: string): Promise<VapidKeys | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as VapidKeys;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * Nodes sharing a DATA_DIR may start together: the keys are written to a private file and linked into place, which
 * fails if another node got there first; then its keys are the ones every node uses.
 */
async function createKeys(file: string, dir: string, logger: Logger): Promise<VapidKeys> {
  const keys = generateVapidKeys();
  await mkdir(dir, { recursive: true });
  const tmp = `${file}.${randomBytes(8).toString('hex')}`;
  await writeFile(tmp, JSON.stringify(keys), { mode: 0o600 });
  try {
    await link(tmp, file);
    logger.info({ file }, 'generated development VAPID keys');
    return keys;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return (await readKeys(file))!;
  } finally {
    await unlink(tmp);
  }
}
