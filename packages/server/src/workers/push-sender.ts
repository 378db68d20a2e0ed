import { createHash } from 'node:crypto';
import type { NotificationCategory, PushPayload } from '@slotcast/protocol';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import {
  ACTION_TITLES,
  collapseKey,
  deepLink,
  fitPayload,
  PUSH_DELIVERY,
  pushActions,
} from '../domain/push-content.js';
import type { MailOpenMarks } from '../mail/open-marks.js';
import type { ActionTokens } from '../push/action-tokens.js';
import {
  DEFAULT_SEND_CONCURRENCY,
  MAX_PAYLOAD_BYTES,
  type PushMessage,
  type PushOutcome,
  type PushSender,
} from '../push/push-provider.js';
import { getBookings } from '../store/bookings-repo.js';
import type { Queryable } from '../store/db.js';
import type { OutboxRow } from '../store/deliveries-repo.js';
import { devicesOfUsers, type PushRecipientDevice, removeSubscriptions, sentAmong } from '../store/push-repo.js';
import type { ChannelSender, SendResult } from './outbox-sender.js';
import { PushSendRecorder } from './push-send-recorder.js';

export interface PushChannelDeps {
  db: Queryable;
  senders: PushSender[];
  actionTokens: ActionTokens;
  /** Signs each payload's `open` mark (a click counts the message as opened); without it, clicks are not counted. */
  openMarks?: MailOpenMarks;
  logger: Logger;
  now?: () => Date;
  sendConcurrency?: number;
  onOutcome?: (provider: string, outcome: PushOutcome['kind']) => void;
}

/** Live bookings may still be answered or cancelled from a notification. */
const LIVE = new Set(['requested', 'confirmed']);

/**
 * The push channel of the outbox sender: each claimed message to every device of its user. Per claim, not per row:
 * one query for the devices, one for what was already accepted, one for the bookings, the sends in parallel
 * (bounded), each accepted push recorded through a group commit (PushSendRecorder).
 *
 * Exactly one push per (device, message): each accepted push is recorded in push_sends as soon as the service took
 * it, and a message claimed again (another device asked to retry, or this node died and the lease ran out) skips
 * recorded devices. Only a death between the service's 201 and that insert can push one again; the payload's id is
 * the message's, and the service worker skips an id it already shows.
 */
export function pushChannel(deps: PushChannelDeps): ChannelSender {
  const senders = new Map(deps.senders.map((s) => [s.kind, s]));
  const now = deps.now ?? (() => new Date());
  const limit = pLimit(deps.sendConcurrency ?? DEFAULT_SEND_CONCURRENCY);
  const recorder = new PushSendRecorder(deps.db, now);
  return {
    channel: 'push',
    async send(rows: OutboxRow[]): Promise<SendResult> {
      const result: SendResult = { sent: [], failed: [], retry: [] };
      const devices = (await devicesOfUsers(deps.db, [...new Set(rows.map((r) => r.userId))])).filter((d) =>
        senders.has(d.provider),
      );
      const byUser = new Map<string, PushRecipientDevice[]>();
      for (const d of devices) byUser.set(d.userId, [...(byUser.get(d.userId) ?? []), d]);
      const done = await sentAmong(
        deps.db,
        rows.map((r) => r.id),
        devices.map((d) => d.id),
      );
      const bookingIds = [...new Set(rows.flatMap((r) => (r.bookingId ? [r.bookingId] : [])))];
      const bookings = await getBookings(deps.db, bookingIds);
      const gone: string[] = [];

      await Promise.all(
        rows.map(async (row) => {
          const todo = (byUser.get(row.userId) ?? []).filter((d) => !done.has(`${d.id}:${row.id}`));
          // One message per (row, role): rendered (and its action tokens signed) once, not once per device; and
          // handed to its provider once for all of that role's devices there (Web Push encrypts them in one task).
          const groups = new Map<string, PushRecipientDevice[]>();
          for (const d of todo) {
            const key = `${d.role} ${d.provider}`;
            groups.set(key, [...(groups.get(key) ?? []), d]);
          }
          const messages = new Map<string, Promise<PushMessage>>();
          const messageFor = (role: PushRecipientDevice['role']) => {
            let m = messages.get(role);
            if (!m) messages.set(role, (m = render(deps, row, role, bookings)));
            return m;
          };
          let retry = false;
          let retryAfter = 0;
          const settle = async (device: PushRecipientDevice, outcome: PushOutcome) => {
            deps.onOutcome?.(device.provider, outcome.kind);
            // Recorded at once, not with the claim: a node killed mid-claim leaves about one round trip (the group
            // commit in flight) between the service's 201 and the record that keeps the next claimer off.
            if (outcome.kind === 'sent') await recorder.record(device.id, row.id);
            else if (outcome.kind === 'gone') gone.push(device.id);
            else if (outcome.kind === 'retry') {
              retry = true;
              retryAfter = Math.max(retryAfter, outcome.retryAfterSeconds ?? 0);
            } else
              deps.logger.warn(
                { provider: device.provider, status: outcome.status, reason: outcome.reason, outboxId: row.id },
                'push refused by the push service; not retried',
              );
          };
          await Promise.all(
            [...groups.values()].map(async (group) => {
              const sender = senders.get(group[0]!.provider)!;
              const message = await messageFor(group[0]!.role);
              const sends = sender.prepare
                ? await sender.prepare(group, message)
                : group.map((device) => () => sender.send(device, message));
              await Promise.all(
                // The slot is the push in flight; preparing it before, or waiting for its record after, holds none.
                group.map(async (device, i) => settle(device, await limit(sends[i]!))),
              );
            }),
          );
          if (retry) result.retry.push({ id: row.id, afterSeconds: retryAfter || undefined });
          else result.sent.push(row.id);
        }),
      );
      await removeSubscriptions(deps.db, gone);
      return result;
    },
  };
}

/** The event a message stands for (its own, or a digest's first): what a device's (device, event) count keys on. */
export function sourceEventOf(row: Pick<OutboxRow, 'dedupeKey'>): number {
  return Number(row.dedupeKey.slice(row.dedupeKey.indexOf(':') + 1)) || 0;
}

/**
 * A stable UUID per outbox row (hash-based, version 8): the payload's `id`, so a push sent again after a lost lease
 * carries the same one and the service worker shows it once.
 */
export function messageUuid(outboxId: number): string {
  const b = createHash('sha256').update(`slotcast-outbox:${outboxId}`).digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x80;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The buttons follow the booking as it is when the push goes out: no Confirm on a request already cancelled. */
async function render(
  { actionTokens, openMarks }: Pick<PushChannelDeps, 'actionTokens' | 'openMarks'>,
  row: OutboxRow,
  role: PushRecipientDevice['role'],
  bookings: Map<string, { id: string; status: string; version: number }>,
): Promise<PushMessage> {
  // A digest may mix categories: it is shown as a system message, and opens the notification history.
  const category: NotificationCategory = row.category ?? 'system';
  const booking = row.bookingId ? (bookings.get(row.bookingId) ?? null) : null;
  const live = row.kind === 'single' && booking !== null && LIVE.has(booking.status);
  const actions: PushPayload['actions'] = await Promise.all(
    pushActions(role, category, live).map(async (action) => ({
      action,
      title: ACTION_TITLES[action],
      token:
        action === 'view' || !booking
          ? undefined
          : await actionTokens.sign({ userId: row.userId, bookingId: booking.id, action, version: booking.version }),
    })),
  );
  const id = messageUuid(row.id);
  const payload: PushPayload = {
    v: 1,
    id,
    eventId: sourceEventOf(row),
    bookingId: row.bookingId,
    category,
    title: row.title,
    body: row.body,
    url: deepLink({ bookingId: row.bookingId }),
    actions,
    open: openMarks?.sign(row.id),
  };
  const delivery = PUSH_DELIVERY[category];
  return {
    payload: fitPayload(payload, MAX_PAYLOAD_BYTES),
    title: row.title,
    body: row.body,
    collapseKey: collapseKey({ id, bookingId: row.bookingId }),
    ttlSeconds: delivery.ttlSeconds,
    urgency: delivery.urgency,
  };
}
