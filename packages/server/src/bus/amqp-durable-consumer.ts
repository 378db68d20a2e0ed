import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import type { Db } from '../store/db.js';
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
  DEFAULT_RETRY_DELAYS_MS,
  type DurableHandler,
  type DurableOptions,
  type DurableSubscription,
  hasReceipt,
  recordReceipt,
} from './durable.js';

/**
 * A consumer with its own durable queue, shared by every node (competing consumers). At least once: a message is
 * acknowledged only after its handler succeeded and the receipt is stored, or after it was safely moved on. A
 * redelivered event whose receipt exists is skipped, so handlers see each event id once in the usual case (a crash
 * between handler and receipt can still repeat one: handlers with effects outside the database stay idempotent).
 *
 * A failure goes to `<queue>.retry.<n>`, a queue whose TTL is the n-th back-off delay and whose expired messages
 * dead-letter back into the main queue; one queue per delay, so a long wait never holds up a short one. After the
 * last retry the message goes to `<queue>.dead` for a person to look at.
 */
export async function consumeDurable(
  deps: { amqp: AmqpConnection; db: Db; logger: Logger; metrics: BusMetrics },
  name: string,
  handler: DurableHandler,
  opts: DurableOptions = {},
): Promise<DurableSubscription> {
  checkConsumerName(name);
  const queue = durableQueue(name);
  const delays = opts.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const labels = { consumer: name };
  const log = deps.logger.child({ consumer: name });
  let channel: ConfirmChannel | null = null;
  let stopped = false;
  let inFlight = 0;

  const onMessage = async (ch: ConfirmChannel, msg: ConsumeMessage) => {
    inFlight++;
    const attempt = Number(msg.properties.headers?.[ATTEMPT_HEADER] ?? 1);
    try {
      let decoded: ReturnType<typeof decodeEvent>;
      try {
        decoded = decodeEvent(msg);
      } catch (err) {
        await moveOn(ch, msg, deadLetterQueue(name), attempt, err);
        deps.metrics.count('consumer_dead_lettered', 1, labels);
        return;
      }
      const id = decoded.event.envelope.id;
      try {
        if (await hasReceipt(deps.db, name, id)) {
          deps.metrics.count('consumer_duplicates', 1, labels);
          ch.ack(msg);
          return;
        }
        await handler(decoded.event, { attempt });
        await recordReceipt(deps.db, name, id);
        deps.metrics.count('consumer_delivered', 1, labels);
        ch.ack(msg);
      } catch (err) {
        if (attempt <= delays.length) {
          await moveOn(ch, msg, retryQueue(name, attempt), attempt + 1, err);
          deps.metrics.count('consumer_retried', 1, labels);
          log.warn({ err, eventId: id, attempt }, 'durable consumer failed; will retry');
        } else {
          await moveOn(ch, msg, deadLetterQueue(name), attempt, err);
          deps.metrics.count('consumer_dead_lettered', 1, labels);
          log.error({ err, eventId: id, attempt }, 'durable consumer gave up; event moved to the dead-letter queue');
        }
      }
    } catch (err) {
      // The channel went away mid-way: nothing was acknowledged, so the broker delivers the message again.
      log.debug({ err }, 'durable message left unacknowledged');
    } finally {
      inFlight--;
    }
  };

  await deps.amqp.onConnect(async (conn) => {
    if (stopped) return;
    const ch = await conn.createConfirmChannel();
    ch.on('error', () => {});
    ch.on('close', () => {
      if (channel === ch) channel = null;
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
    await ch.prefetch(opts.prefetch ?? 16);
    channel = ch;
    await ch.consume(queue, (msg) => {
      if (msg) void onMessage(ch, msg);
    });
  });

  return {
    async stop() {
      stopped = true;
      const ch = channel;
      channel = null;
      for (let i = 0; i < 200 && inFlight > 0; i++) await new Promise((r) => setTimeout(r, 10));
      // Unacknowledged messages go back to the queue for another node.
      await ch?.close().catch(() => {});
    },
  };
}

/** Publishes a copy to `target` with the attempt count, waits for the broker's confirm, then acks the original. */
async function moveOn(ch: ConfirmChannel, msg: ConsumeMessage, target: string, attempt: number, err: unknown) {
  const reason = err instanceof Error ? err.message : String(err);
  ch.sendToQueue(target, msg.content, {
    ...msg.properties,
    persistent: true,
    headers: { ...msg.properties.headers, [ATTEMPT_HEADER]: attempt, [ERROR_HEADER]: reason.slice(0, 500) },
  });
  await ch.waitForConfirms();
  ch.ack(msg);
}
