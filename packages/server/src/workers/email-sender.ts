import pLimit from 'p-limit';
import type { Logger } from 'pino';
import type { Mailer } from '../mail/mailer.js';
import type { ComposeNotificationMail } from '../mail/notification-mail.js';
import type { Queryable } from '../store/db.js';
import type { OutboxRow } from '../store/deliveries-repo.js';
import { bookingMailFacts, mailRecipients } from '../store/mail-facts-repo.js';
import type { ChannelSender, SendResult } from './outbox-sender.js';

export interface EmailChannelDeps {
  db: Queryable;
  mailer: Mailer;
  compose: ComposeNotificationMail;
  /** The web app's origin (config PUBLIC_URL). */
  publicUrl: string;
  logger: Logger;
  /** Mails in flight per claim (one SMTP connection each). */
  concurrency?: number;
}

/** The Message-ID of an outbox message: a mail sent again after a lost lease carries the same one and collapses. */
export const outboxMessageId = (row: Pick<OutboxRow, 'id'>) => `outbox-${row.id}@slotcast`;

/**
 * The email channel of the outbox sender: one mail per message, composed by the injected composer (single messages
 * about one booking get that booking's facts), sent with the message's stable Message-ID. A mail the server refused
 * is retried after the back-off; a user without an address any more (deleted) ends the message.
 */
export function emailChannel(deps: EmailChannelDeps): ChannelSender {
  const limit = pLimit(deps.concurrency ?? 4);
  return {
    channel: 'email',
    async send(rows: OutboxRow[]): Promise<SendResult> {
      const result: SendResult = { sent: [], failed: [], retry: [] };
      const recipients = await mailRecipients(deps.db, [...new Set(rows.map((r) => r.userId))]);
      const single = rows.filter((r) => r.kind === 'single' && r.bookingId);
      const bookings = await bookingMailFacts(deps.db, [...new Set(single.map((r) => r.bookingId!))]);
      await Promise.all(
        rows.map((row) =>
          limit(async () => {
            const recipient = recipients.get(row.userId);
            if (!recipient) return void result.failed.push(row.id);
            const booking = row.kind === 'single' && row.bookingId ? (bookings.get(row.bookingId) ?? null) : null;
            try {
              const mail = await deps.compose({ recipient, message: row, booking, publicUrl: deps.publicUrl });
              await deps.mailer.send({
                ...mail,
                headers: { ...mail.headers, 'X-Slotcast-Message': `outbox:${row.id}` },
                messageId: outboxMessageId(row),
              });
              result.sent.push(row.id);
            } catch (err) {
              deps.logger.warn({ err, outboxId: row.id }, 'notification mail not sent; retried later');
              result.retry.push({ id: row.id });
            }
          }),
        ),
      );
      return result;
    },
  };
}
