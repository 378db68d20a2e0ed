import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** Optional: a text-only mail is fine (a notification composer may leave it out). */
  html?: string;
  headers?: Record<string, string>;
  attachments?: { filename: string; content: string | Buffer; contentType?: string }[];
  /** Stable Message-ID (without angle brackets): a resend after a crash carries the same one, so it can be deduped. */
  messageId?: string;
}

/** Sends one mail; resolves once the server accepted it. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** SMTP through nodemailer (config SMTP_URL, e.g. `smtp://user:pass@mail.example.com:587`). */
export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    async send(m) {
      await transport.sendMail({
        from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        headers: m.headers,
        attachments: m.attachments,
        ...(m.messageId ? { messageId: `<${m.messageId}>` } : {}),
      });
    },
    close: () => transport.close(),
  };
}

/**
 * Development without SMTP_URL: each mail is written to DATA_DIR/mail/ as a .eml file (open it in any mail client)
 * and announced in the log with its subject and path, so a new user can follow the link. Never used in production.
 */
export function fileMailer(dir: string, from: string, logger: Logger): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  // Made once, not once per mail; a failed attempt is tried again by the next mail.
  let made: Promise<unknown> | null = null;
  const ensureDir = () => {
    made ??= mkdir(dir, { recursive: true }).catch((err: unknown) => {
      made = null;
      throw err;
    });
    return made;
  };
  return {
    async send(m) {
      const info = await transport.sendMail({
        from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        headers: m.headers,
        attachments: m.attachments,
        ...(m.messageId ? { messageId: `<${m.messageId}>` } : {}),
      });
      await ensureDir();
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${(m.messageId ?? 'mail').replace(/[^\w.-]/g, '_')}.eml`;
      const file = path.join(dir, name);
      await writeFile(file, info.message as Buffer);
      // The address stays out of the log (logs carry no personal data); the file names it for whoever opens it.
      logger.info({ subject: m.subject, file }, 'mail written (no SMTP_URL)');
    },
    close: () => transport.close(),
  };
}
