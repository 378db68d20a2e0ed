import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import type { Db } from '../store/db.js';
import { recordReceipts } from '../store/durable-consumers.js';
import type { StoredEvent } from '../store/event-log.js';
import { backfillQueue } from './amqp-backfill.js';
import type { AmqpConnection } from './amqp-connection.js';
import {
  ATTEMPT_HEADER,
  deadLetterQueue,
  decodeEvent,
  durableQueue,
  ERROR_HEADER,
  EVENTS_EXCHANGE,
  retryQueue,
} from './amqp-topology.js';
import type { BusMetrics } from './bus-metrics.js';
import {
  checkConsumerName,
  DEFAULT_BATCH_SIZE,
  DEFAULT_RETRY_DELAYS_MS,
  type DurableHandler,
  type DurableOptions,
  type DurableSubscription,
  errorText,
} from './durable.js';

interface Delivery {
  ch: ConfirmChannel;
  msg: ConsumeMessage;
  event: StoredEvent;
  attempt: number;
}

/**
 * The durable consumer with a broker: a durable queue of its own, shared by every node (competing consumers).
 * Messages that arrive together are handled as one batch, in one transaction that also writes a receipt per event
 * id; redelivered ids whose receipt exists are dropped before the handler sees them. A message is acknowledged only
 * after that transaction committed, or after it was safely moved on, so delivery is at least once and database
 * effects made through the transaction exactly once.
 *
 * A failing batch is split into single events. A failing event goes to `<queue>.retry.<n>`, a queue whose TTL is the
 * n-th back-off delay and whose expired messages dead-letter back into the main queue; one queue per delay, so a long
 * wait never holds up a short one. After the last retry the message goes to `<queue>.dead` for a person to look at.
 */
export async function consumeDurable(
  deps: {
    amqp: AmqpConnection;
    db: Db;
    logger: Logger;
    metrics: BusMetrics;
    lagCheckMs?: number;
    /** While another node copies this consumer's backfill, look again this often. */
    backfillBusyRetryMs?: number;
  },
  name: string,
  handler: DurableHandler,
  opts: DurableOptions = {},
): Promise<DurableSubscription> {
  checkConsumerName(name);
  const queue = durableQueue(name);
  const delays = opts.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  const labels = { consumer: name };
  const log = deps.logger.child({ consumer: name });
  let channel: ConfirmChannel | null = null;
  let stopped = false;
  let pending: Delivery[] = [];
  let running: Promise<void> | null = null;
  /** The copy of the log into a new queue (`startAt: 'beginning'`), on the current channel; aborted with it. */
  let backfill: { ch: ConfirmChannel; abort: AbortController; done: Promise<void> } | null = null;
  let backfilled = opts.startAt !== 'beginning';

  const startBackfill = (ch: ConfirmChannel) => {
    if (backfilled || stopped || backfill !== null) return;
    const abort = new AbortController();
    const done = backfillQueue(
      { db: deps.db, logger: deps.logger, metrics: deps.metrics, busyRetryMs: deps.backfillBusyRetryMs },
      ch,
      name,
      opts.bindings ?? ['#'],
      abort.signal,
    )
      .then(
        (finished) => {
          if (finished) backfilled = true;
        },
        (err) => log.warn({ err }, 'backfill interrupted; it resumes where it stopped'),
      )
      .finally(() => {
        backfill = null;
        // Interrupted on a channel that is still ours (a database error): try again shortly.
        if (!backfilled && !stopped && channel === ch)
          setTimeout(() => channel && startBackfill(channel), 5000).unref();
        else if (!backfilled && channel && channel !== ch) startBackfill(channel);
      });
    backfill = { ch, abort, done };
  };

  /** Handles `batch` in one transaction; resolves to false if the handler threw (nothing was acknowledged). */
  const handle = async (batch: Delivery[]): Promise<boolean> => {
    const attempt = Math.max(...batch.map((d) => d.attempt));
    let handled: number;
    try {
      handled = await deps.db.transaction(async (tx) => {
        const fresh = new Map<number, StoredEvent>();
        for (const d of batch) fresh.set(d.event.envelope.id, d.event);
        // In id order, so transactions taking overlapping ids lock them in one order (no deadlock).
        const taken = await recordReceipts(
          tx,
          name,
          [...fresh.keys()].sort((a, b) => a - b),
        );
        const events = [...fresh.values()]
          .filter((e) => taken.has(e.envelope.id))
          .sort((a, b) => a.envelope.id - b.envelope.id);
        if (events.length === 0) return 0;
        await handler(events, { tx, attempt });
        return events.length;
      });
    } catch (err) {
      if (batch.length > 1) return false;
      const [d] = batch as [Delivery];
      const last = d.attempt > delays.length;
      await moveOn(
        d,
        last ? deadLetterQueue(name) : retryQueue(name, d.attempt),
        last ? d.attempt : d.attempt + 1,
        err,
      );
      deps.metrics.count(last ? 'consumer_dead_lettered' : 'consumer_retried', 1, labels);
      if (last) log.error({ err, eventId: d.event.envelope.id, attempt: d.attempt }, 'durable consumer gave up');
      else log.warn({ err, eventId: d.event.envelope.id, attempt: d.attempt }, 'durable consumer failed; will retry');
      return true;
    }
    if (handled > 0) deps.metrics.count('consumer_delivered', handled, labels);
    if (handled < batch.length) deps.metrics.count('consumer_duplicates', batch.length - handled, labels);
    for (const d of batch) d.ch.ack(d.msg);
    return true;
  };

  const drain = async () => {
    while (!stopped && pending.length > 0) {
      // Messages of a channel that closed are redelivered by the broker; their delivery tags are void.
      const batch = pending.filter((d) => d.ch === channel).slice(0, batchSize);
      pending = pending.filter((d) => d.ch === channel).slice(batch.length);
      if (batch.length === 0) return;
      try {
        if (!(await handle(batch))) for (const d of batch) await handle([d]);
      } catch (err) {
        // The channel or the database went away mid-way: nothing unacknowledged is lost, the broker redelivers.
        log.debug({ err }, 'durable batch left unacknowledged');
      }
    }
  };

  const schedule = () => {
    if (running || stopped) return;
    // One turn of the event loop lets the messages that arrived together form one batch.
    running = new Promise<void>((resolve) => setImmediate(resolve)).then(drain).finally(() => {
      running = null;
      if (pending.length > 0) schedule();
    });
  };

  const amqpChannel = deps.amqp.channel(async (ch) => {
    if (stopped) return;
    ch.on('close', () => {
      if (channel === ch) channel = null;
      if (backfill?.ch === ch) backfill.abort.abort();
    });
    await ch.assertQueue(queue, { durable: true });
    for (const pattern of opts.bindings ?? ['#']) await ch.bindQueue(queue, EVENTS_EXCHANGE, pattern);
    for (const [i, ttl] of delays.entries()) {
      await ch.assertQueue(retryQueue(name, i + 1), {
        durable: true,
        arguments: { 'x-message-ttl': ttl, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': queue },
      });
    }
    await ch.assertQueue(deadLetterQueue(name), { durable: true });
    await ch.prefetch(Math.max(opts.prefetch ?? 2 * batchSize, batchSize));
    channel = ch;
    await ch.consume(queue, (msg) => {
      if (!msg) return;
      const attempt = Number(msg.properties.headers?.[ATTEMPT_HEADER] ?? 1);
      let event: StoredEvent;
      try {
        event = decodeEvent(msg).event;
      } catch (err) {
        void moveOn({ ch, msg }, deadLetterQueue(name), attempt, err).catch(() => {});
        deps.metrics.count('consumer_dead_lettered', 1, labels);
        return;
      }
      pending.push({ ch, msg, event, attempt });
      schedule();
    });
    startBackfill(ch);
  });

  const lagTimer = setInterval(async () => {
    const ch = channel;
    if (!ch || !deps.metrics.lag) return;
    try {
      deps.metrics.lag(name, (await ch.checkQueue(queue)).messageCount);
    } catch {
      // The channel closed; the next connection reports again.
    }
  }, deps.lagCheckMs ?? 5000);
  lagTimer.unref();

  return {
    async stop() {
      stopped = true;
      clearInterval(lagTimer);
      backfill?.abort.abort();
      await backfill?.done;
      await running?.catch(() => {});
      channel = null;
      // Unacknowledged messages go back to the queue for another node.
      await amqpChannel.close();
    },
  };
}

/** Publishes a copy to `target` with the attempt count, waits for the broker's confirm, then acks the original. */
async function moveOn(
  d: { ch: ConfirmChannel; msg: ConsumeMessage },
  target: string,
  attempt: number,
  err: unknown,
): Promise<void> {
  const { ch, msg } = d;
  ch.sendToQueue(target, msg.content, {
    ...msg.properties,
    persistent: true,
    headers: { ...msg.properties.headers, [ATTEMPT_HEADER]: attempt, [ERROR_HEADER]: errorText(err) },
  });
  await ch.waitForConfirms();
  ch.ack(msg);
}
