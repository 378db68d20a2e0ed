import {
  ACCOUNT_EVENT_TYPES,
  ACCOUNT_LINK_PARAMS,
  AccountEventData,
  MAILS,
  type MailContent,
} from '@slotcast/protocol';
import type { DurableSubscription } from '../bus/durable.js';
import type { StoredEvent } from '../bus/event-bus.js';
import type { WorkerBus } from '../bus/worker-bus.js';
import type { Mailer } from '../mail/mailer.js';
import { DEFAULT_RESET_TTL_MINUTES, DEFAULT_VERIFY_TTL_HOURS } from '../usecases/accounts.js';

/** Named once: the RabbitMQ queue (`slotcast.mailer`), the row in consumer_offsets, and the dedupe key's prefix. */
export const MAIL_WORKER = 'mailer';

export interface MailWorkerOptions {
  mailer: Mailer;
  /** Where links point: the web app's origin (config PUBLIC_URL). */
  publicUrl: string;
}

/** The mail an account event asks for, or null for events this worker does not mail. */
export function mailFor(e: StoredEvent, publicUrl: string): { to: string; content: MailContent } | null {
  const parsed = AccountEventData.safeParse(e.envelope.data);
  if (!parsed.success) return null;
  const { email, name, token } = parsed.data;
  const link = (param: string) => `${publicUrl.replace(/\/$/, '')}/?${param}=${encodeURIComponent(token)}`;
  switch (e.envelope.type) {
    case 'account.verification_requested':
      return {
        to: email,
        content: MAILS.verifyEmail({
          name,
          link: link(ACCOUNT_LINK_PARAMS.verify),
          validHours: DEFAULT_VERIFY_TTL_HOURS,
        }),
      };
    case 'account.password_reset_requested':
      return {
        to: email,
        content: MAILS.resetPassword({
          name,
          link: link(ACCOUNT_LINK_PARAMS.reset),
          validMinutes: DEFAULT_RESET_TTL_MINUTES,
        }),
      };
    default:
      return null;
  }
}

/**
 * Sends the mails account events ask for, on the durable-consumer mechanism: an event is received once per
 * consumer (receipts or the log position commit with the batch), and each mail carries the Message-ID
 * `mailer:<event id>@slotcast` so that the one window left (the SMTP server accepted, the node died before the
 * commit) resends the same message, which mail servers and clients collapse.
 */
export function startMailWorker(bus: WorkerBus, opts: MailWorkerOptions): Promise<DurableSubscription> {
  return bus.subscribeDurable(
    MAIL_WORKER,
    async (events) => {
      for (const e of events) {
        const mail = mailFor(e, opts.publicUrl);
        if (!mail) continue;
        await opts.mailer.send({
          to: mail.to,
          ...mail.content,
          messageId: `${MAIL_WORKER}:${e.envelope.id}@slotcast`,
          headers: { 'X-Slotcast-Event': `${MAIL_WORKER}:${e.envelope.id}` },
        });
      }
    },
    { bindings: [...ACCOUNT_EVENT_TYPES] },
  );
}
