import { NotificationCreatedData, type PushPayload } from '@slotcast/protocol';
import { LRUCache } from 'lru-cache';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import type { DurableContext, DurableSubscription } from '../bus/durable.js';
import type { NodeBus } from '../bus/node-bus.js';
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
import { getBookings } from '../store/bookings-repo.js';
import type { Db, Queryable } from '../store/db.js';
import type { StoredEvent } from '../store/event-log.js';
import {
  deliveredAmong,
  devicesOfUsers,
  type PushRecipientDevice,
  recordDeliveries,
  removeSubscriptions,
} from '../store/push-repo.js';

/** Named once: the RabbitMQ queue (`slotcast.push`) and the row in consumer_offsets. */
export const PUSH_WORKER = 'push';

/** Pushes in flight per node and batch: enough to hide a push service's latency, few enough not to flood it. */
export const DEFAULT_SEND_CONCURRENCY = 64;

/** Thrown when some device should be tried again: the durable consumer retries the event after its back-off. */
export class PushRetryLater extends Error {
  constructor(readonly devices: number) {
    super(`${devices} device(s) to retry`);
  }
}

type Notification = NotificationCreatedData['notification'];

/**
 * Whether a recipient is told now: `send`, `drop` (not at all), or `hold` (not by this worker now: whoever decided
 * takes it over, e.g. quiet hours deliver it later). One small async function so that notification preferences can
 * plug in here; the default sends everything.
 */
export type PushDecision = 'send' | 'hold' | 'drop';
export type DecidePush = (
  recipient: { userId: string; notification: Notification },
  /** The batch's transaction: a decision that reads the database reads through it (PGlite has one connection). */
  tx: Queryable,
) => PushDecision | Promise<PushDecision>;
export const sendAlways: DecidePush = () => 'send';

export interface PushWorkerDeps {
  /** Kept for the deps' shape; the handler reads and writes only through its batch's transaction. */
  db: Db;
  senders: PushSender[];
  actionTokens: ActionTokens;
  logger: Logger;
  now?: () => Date;
  decide?: DecidePush;
  sendConcurrency?: number;
  retryDelaysMs?: number[];
  onOutcome?: (provider: string, outcome: PushOutcome['kind']) => void;
}

export function startPushWorker(bus: NodeBus, deps: PushWorkerDeps): Promise<DurableSubscription> {
  return bus.subscribeDurable(PUSH_WORKER, pushHandler(deps), {
    bindings: ['notification.created'],
    retryDelaysMs: deps.retryDelaysMs,
  });
}

/** Live bookings may still be answered or cancelled from a notification. */
const LIVE = new Set(['requested', 'confirmed']);

interface Job {
  eventId: number;
  userId: string;
  notification: Notification;
}

/**
 * The push worker: for each `notification.created` event of a batch (one per recipient, made by the notifications
 * worker from a booking event), one push to each of that user's devices. Per batch, not per event: one query for
 * every recipient's devices, one for what was already delivered, one for the bookings, the sends in parallel (bounded),
 * one insert for the accepted pushes.
 *
 * Exactly one push per (device, event): accepted pushes are recorded in push_deliveries through the batch's
 * transaction (so with its progress, exactly once), and a redelivered event skips recorded devices. When another
 * device asks for a retry, the batch throws and that record rolls back with it; the node therefore also remembers
 * what was accepted (`accepted`, in memory, for as long as the retries last) and the retry skips those devices. Only
 * a crash, or a retry that lands on another node, can send one again; the push carries the notification id and its
 * booking's collapse key, so the device replaces rather than adds (the service worker also skips an id it shows).
 * Everything goes through `tx`: PGlite has a single connection, which the transaction holds.
 *
 * The buttons follow the booking as it is when the push goes out: no Confirm on a request already cancelled.
 */
export function pushHandler(deps: PushWorkerDeps) {
  const senders = new Map(deps.senders.map((s) => [s.kind, s]));
  const now = deps.now ?? (() => new Date());
  const decide = deps.decide ?? sendAlways;
  const limit = pLimit(deps.sendConcurrency ?? DEFAULT_SEND_CONCURRENCY);
  // `${device}:${event}` accepted by a push service, until the retries of that batch are over.
  const accepted = new LRUCache<string, true>({ max: 200_000, ttl: 15 * 60_000 });
  return async (events: StoredEvent[], { tx }: DurableContext): Promise<void> => {
    const jobs = events.flatMap((e): Job[] => {
      if (e.envelope.type !== 'notification.created' || !e.userId) return [];
      const parsed = NotificationCreatedData.safeParse(e.envelope.data);
      return parsed.success
        ? [{ eventId: e.envelope.id, userId: e.userId, notification: parsed.data.notification }]
        : [];
    });
    if (jobs.length === 0) return;

    const devices = (await devicesOfUsers(tx, [...new Set(jobs.map((j) => j.userId))])).filter((d) =>
      senders.has(d.provider),
    );
    if (devices.length === 0) return;
    const byUser = new Map<string, PushRecipientDevice[]>();
    for (const d of devices) byUser.set(d.userId, [...(byUser.get(d.userId) ?? []), d]);
    const done = await deliveredAmong(
      tx,
      jobs.map((j) => j.eventId),
      devices.map((d) => d.id),
    );
    // Accepted on an earlier try whose record rolled back: record it now, do not send it again.
    const sent: { subscriptionId: string; eventId: number }[] = [];
    const pending = jobs
      .map((job) => ({
        job,
        todo: (byUser.get(job.userId) ?? []).filter((d) => {
          const key = `${d.id}:${job.eventId}`;
          if (done.has(key)) return false;
          if (!accepted.has(key)) return true;
          sent.push({ subscriptionId: d.id, eventId: job.eventId });
          return false;
        }),
      }))
      .filter((p) => p.todo.length > 0);
    if (pending.length === 0) return recordDeliveries(tx, sent, now());

    const decisions = await Promise.all(pending.map((p) => decide(p.job, tx)));
    const toSend = pending.filter((_, i) => decisions[i] === 'send');
    const bookingIds = [
      ...new Set(toSend.flatMap((p) => (p.job.notification.bookingId ? [p.job.notification.bookingId] : []))),
    ];
    const bookings = await getBookings(tx, bookingIds);

    const gone: string[] = [];
    let retry = 0;
    await Promise.all(
      toSend.flatMap(({ job, todo }) => {
        // One message per (event, role): rendered (and its action tokens signed) once, not once per device.
        const messages = new Map<string, Promise<PushMessage>>();
        const messageFor = (role: PushRecipientDevice['role']) => {
          let m = messages.get(role);
          if (!m) messages.set(role, (m = render(deps, job, role, bookings)));
          return m;
        };
        return todo.map((device) =>
          limit(async () => {
            const outcome = await senders.get(device.provider)!.send(device, await messageFor(device.role));
            deps.onOutcome?.(device.provider, outcome.kind);
            if (outcome.kind === 'sent') {
              sent.push({ subscriptionId: device.id, eventId: job.eventId });
              accepted.set(`${device.id}:${job.eventId}`, true);
            } else if (outcome.kind === 'gone') gone.push(device.id);
            else if (outcome.kind === 'retry') retry++;
            else
              deps.logger.warn(
                { provider: device.provider, status: outcome.status, reason: outcome.reason, eventId: job.eventId },
                'push refused by the push service; not retried',
              );
          }),
        );
      }),
    );
    await recordDeliveries(tx, sent, now());
    await removeSubscriptions(tx, gone);
    if (retry > 0) throw new PushRetryLater(retry);
  };
}

async function render(
  deps: PushWorkerDeps,
  job: Job,
  role: PushRecipientDevice['role'],
  bookings: Map<string, { id: string; status: string; version: number }>,
): Promise<PushMessage> {
  const n = job.notification;
  const booking = n.bookingId ? (bookings.get(n.bookingId) ?? null) : null;
  const live = booking !== null && LIVE.has(booking.status);
  const actions: PushPayload['actions'] = await Promise.all(
    pushActions(role, n.category, live).map(async (action) => ({
      action,
      title: ACTION_TITLES[action],
      token:
        action === 'view' || !booking
          ? undefined
          : await deps.actionTokens.sign({
              userId: job.userId,
              bookingId: booking.id,
              action,
              version: booking.version,
            }),
    })),
  );
  const payload: PushPayload = {
    v: 1,
    id: n.id,
    eventId: job.eventId,
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
