import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { fileMailer, type Mailer, smtpMailer } from './mail/mailer.js';
import type { Db } from './store/db.js';
import { openPglite } from './store/pglite.js';
import { openPostgres } from './store/postgres.js';

// What a node opens from its settings: the database, the token secret, the mailer.

export async function openDatabase(config: Config): Promise<Db> {
  if (config.DATABASE_URL) {
    return openPostgres(config.DATABASE_URL, {
      poolSize: config.DATABASE_POOL_SIZE,
      queueLimit: config.DATABASE_POOL_QUEUE,
      maxWaitMs: config.DATABASE_POOL_MAX_WAIT_MS,
      burst: config.DATABASE_POOL_BURST,
    });
  }
  const dir = path.resolve(config.DATA_DIR, 'pglite');
  await mkdir(dir, { recursive: true });
  return openPglite(dir);
}

/** In development a secret is made once and kept in DATA_DIR, so sessions survive a restart. */
export async function jwtSecret(config: Config, logger: Logger): Promise<string> {
  if (config.JWT_SECRET) return config.JWT_SECRET;
  const file = path.resolve(config.DATA_DIR, 'jwt-secret');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const secret = randomBytes(48).toString('base64url');
    await mkdir(config.DATA_DIR, { recursive: true });
    await writeFile(file, secret, { mode: 0o600 });
    logger.info({ file }, 'generated a development JWT secret');
    return secret;
  }
}

/** `Slotcast <no-reply@example.com>` → `no-reply@example.com`. */
export function mailAddressOf(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1] ?? from.trim();
}

/** SMTP when SMTP_URL is set; otherwise mails go to DATA_DIR/mail/ and the log (development). */
export function mailerFor(config: Config, logger: Logger): Mailer {
  return config.SMTP_URL
    ? smtpMailer(config.SMTP_URL, config.MAIL_FROM)
    : fileMailer(path.resolve(config.DATA_DIR, 'mail'), config.MAIL_FROM, logger);
}
