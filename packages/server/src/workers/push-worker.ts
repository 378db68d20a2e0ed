import { NotificationCreatedData, type PushPayload } from '@slotcast/protocol';
import type { Logger } from 'pino';
import type { DurableHandler } from '../bus/durable.js';
import {
  ACTION_TITLES,
  collapseKey,
  deepLink,
  fitPayload,
  PUSH_DELIVERY,
  pushActions,
} from '../domain/push-content.js';
import type { ActionTokens } from '../push/action-tokens.js';
import { MAX_PAYLOAD_BYTES, type PushMessage, type PushOutcome, type PushSender } from '../push/push-provider.js';
import { getBooking } from '../store/bookings-repo.js';
import type { Db } from '../store/db.js';
import type { StoredEvent } from '../store/event-log.js';
import {
  deliveredTo,
  type PushSubscriptionRow,
  recordDelivery,
  removeSubscription,
  subscriptionsOf,
} from '../store/push-repo.js';
import { getUser } from '../store/users-repo.js';

/** Thrown when some device should be tried again: the durable consumer retries the event after its back-off. */
export class PushRetryLater extends Error {
  constructor(readonly devices: number) {
    super(`${devices} device(s) to retry`);
  }
}

export interface PushWorkerDeps {
  db: Db;
  senders: PushSender[];
  actionTokens: ActionTokens;
  logger: Logger;
  now?: () => Date;
  onOutcome?: (provider: string, outcome: PushOutcome['kind']) => void;
}

/** Live bookings may still be answered or cancelled from a notification. */
const LIVE = new Set(['requested', 'confirmed']);

/**
 * The push worker: for each `notification.created` event (one per recipient, made by the notification worker from
 * a booking event), one push to each of that user's devices.
 *
 * Exactly one push per (device, event): a device is recorded in push_deliveries as soon as its push service accepts,
 * and a retried or redelivered event skips recorded devices. A crash between the service's 201 and that record can
 * still send one again; the push carries the notification id and its booking's collapse key, so the device replaces
 * rather than adds (the service worker also skips an id it already shows).
 *
 * The buttons follow the booking as it is when the push goes out: no Confirm on a request already cancelled.
 */
export function pushHandler(deps: PushWorkerDeps): DurableHandler {
  const senders = new Map(deps.senders.map((s) => [s.kind, s]));
  const now = deps.now ?? (() => new Date());
  return async (event: StoredEvent) => {
    if (event.envelope.type !== 'notification.created' || !event.userId) return;
    const parsed = NotificationCreatedData.safeParse(event.envelope.data);
    if (!parsed.success) return;
    const n = parsed.data.notification;
    const eventId = event.envelope.id;
    const devices = (await subscriptionsOf(deps.db, event.userId)).filter((d) => senders.has(d.provider));
    if (devices.length === 0) return;
    const done = await deliveredTo(
      deps.db,
      eventId,
      devices.map((d) => d.id),
    );
    const todo = devices.filter((d) => !done.has(d.id));
    if (todo.length === 0) return;

    const message = await render(deps, event.userId, n, eventId);
    let retry = 0;
    await Promise.all(
      todo.map(async (device: PushSubscriptionRow) => {
        const outcome = await senders.get(device.provider)!.send(device, message);
        deps.onOutcome?.(device.provider, outcome.kind);
        switch (outcome.kind) {
          case 'sent':
            await recordDelivery(deps.db, device.id, eventId, now());
            return;
          case 'gone':
            await removeSubscription(deps.db, device.id);
            return;
          case 'retry':
            retry++;
            return;
          case 'rejected':
            deps.logger.warn(
              { provider: device.provider, status: outcome.status, reason: outcome.reason, eventId },
              'push refused by the push service; not retried',
            );
        }
      }),
    );
    if (retry > 0) throw new PushRetryLater(retry);
  };
}

async function render(
  deps: PushWorkerDeps,
  userId: string,
  n: NotificationCreatedData['notification'],
  eventId: number,
): Promise<PushMessage> {
  const [user, booking] = await Promise.all([
    getUser(deps.db, userId),
    n.bookingId ? getBooking(deps.db, n.bookingId) : null,
  ]);
  const live = booking !== null && LIVE.has(booking.status);
  const actions: PushPayload['actions'] = await Promise.all(
    pushActions(user?.role ?? 'customer', n.category, live).map(async (action) => ({
      action,
      title: ACTION_TITLES[action],
      token:
        action === 'view' || !booking
          ? undefined
          : await deps.actionTokens.sign({ userId, bookingId: booking.id, action, version: booking.version }),
    })),
  );
  const payload: PushPayload = {
    v: 1,
    id: n.id,
    eventId,
    bookingId: n.bookingId,
    category: n.category,
    title: n.title,
    body: n.body,
    url: deepLink(n),
    actions,
  };
  const delivery = PUSH_DELIVERY[n.category];
  return {
    payload: fitPayload(payload, MAX_PAYLOAD_BYTES),
    title: n.title,
    body: n.body,
    collapseKey: collapseKey(n),
    ttlSeconds: delivery.ttlSeconds,
    urgency: delivery.urgency,
  };
}
