import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** Every header as sent, unfolded: lower-case name → values. */
  headers: Map<string, string[]>;
  attachments: { filename: string; contentType: string; content: string }[];
}

/** The one value of header `name` (lower case), or undefined. */
export const headerOf = (mail: ReceivedMail, name: string) => mail.headers.get(name)?.[0];

/**
 * A real SMTP server on loopback that requires the sign-in nodemailer is given (AUTH PLAIN/LOGIN) and keeps what it
 * accepts, parsed. `smtpUrl` is what SMTP_URL should be.
 */
export async function startSmtpSink(): Promise<{
  smtpUrl: string;
  mails: ReceivedMail[];
  /** The mails to `address`, in the order received. */
  to(address: string): ReceivedMail[];
  close(): Promise<void>;
}> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: false,
    disabledCommands: ['STARTTLS'],
    onAuth(auth, _session, cb) {
      if (auth.username === 'slotcast' && auth.password === 'smtp-secret') cb(null, { user: 'slotcast' });
      else cb(new Error('Invalid username or password'));
    },
    onData(stream, _session, cb) {
      simpleParser(stream)
        .then((m: ParsedMail) => {
          const to = [m.to ?? []].flat().flatMap((a) => a.value.map((v) => v.address ?? ''));
          mails.push({
            to,
            subject: m.subject ?? '',
            text: m.text ?? '',
            html: typeof m.html === 'string' ? m.html : '',
            messageId: m.messageId ?? '',
            headers: rawHeaders(m),
            attachments: m.attachments.map((a) => ({
              filename: a.filename ?? '',
              contentType: a.contentType,
              content: a.content.toString('utf8'),
            })),
          });
          cb();
        })
        .catch(cb);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    smtpUrl: `smtp://slotcast:smtp-secret@127.0.0.1:${port}`,
    mails,
    to: (address) => mails.filter((m) => m.to.includes(address)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function rawHeaders(m: ParsedMail): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { key, line } of m.headerLines) {
    const value = line
      .slice(line.indexOf(':') + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
    out.set(key, [...(out.get(key) ?? []), value]);
  }
  return out;
}

/** The token of the first link in a mail's text with `?<param>=`. */
export function linkToken(mail: ReceivedMail, param: string): string {
  const match = new RegExp(`[?&]${param}=([\\w%-]+)`).exec(mail.text);
  if (!match) throw new Error(`no ${param} link in: ${mail.text}`);
  return decodeURIComponent(match[1]!);
}
