import { setTimeout as sleep } from 'node:timers/promises';
import type { ConfirmChannel } from 'amqplib';
import type { Logger } from 'pino';
import type { Db } from '../store/db.js';
import { advanceBackfill, beginBackfill, lockBackfill } from '../store/durable-consumers.js';
import { readStretch } from '../store/event-log.js';
import { sendConfirmed } from './amqp-send.js';
import { durableQueue, encodeEvent } from './amqp-topology.js';
import type { BusMetrics } from './bus-metrics.js';
import { bindingMatches, bindingTypePatterns } from './durable.js';

/** Events read from the log per transaction (and published before it commits). */
export const BACKFILL_PAGE = 500;

export interface BackfillDeps {
  db: Db;
  logger: Logger;
  metrics: BusMetrics;
  /** How long to wait before looking again while another node copies (it may die; its lock then goes). */
  busyRetryMs?: number;
}

/**
 * Gives a durable consumer that starts at the beginning of the log (`startAt: 'beginning'`) the history its new queue
 * never received: the log's events up to its head when the queue was first bound, of the types its bindings match,
 * sent straight to the queue, oldest first. It runs once per consumer across the cluster: the progress row
 * (`durable_backfills`) is locked by one node's transaction per page, and the page's position is committed only after
 * the broker confirmed its messages. Anything sent twice — a page whose commit was lost, an event the exchange also
 * routed to the queue — is dropped by the consumer's receipts, so each event is handled once; their order across the
 * backfill and live events is not kept (a consumer that starts at the beginning takes events in any order).
 *
 * Call after the queue is bound. Resolves true when the backfill is finished (by any node), false when `signal`
 * aborted first (the consumer stopped, or its channel closed: the next channel starts it again); rejects when the
 * channel or the database failed mid-page (nothing of that page is recorded).
 */
export async function backfillQueue(
  deps: BackfillDeps,
  ch: ConfirmChannel,
  name: string,
  bindings: readonly string[],
  signal: AbortSignal,
): Promise<boolean> {
  const queue = durableQueue(name);
  const patterns = bindingTypePatterns(bindings);
  const log = deps.logger.child({ consumer: name });
  await beginBackfill(deps.db, name);
  let copied = 0;
  while (!signal.aborted) {
    const turn = await deps.db.transaction(async (tx) => {
      const t = await lockBackfill(tx, name);
      if (t.state !== 'held') return t.state;
      const read = await readStretch(tx, t.copiedThrough, t.through, BACKFILL_PAGE, patterns);
      const wanted = read.filter((e) => bindings.some((b) => bindingMatches(b, e.envelope.type)));
      let prev = t.copiedThrough;
      await sendConfirmed(
        ch,
        wanted.map((e) => {
          const { content, options } = encodeEvent(e, prev);
          prev = e.envelope.id;
          return () => ch.sendToQueue(queue, content, options);
        }),
      );
      const finished = read.length < BACKFILL_PAGE;
      await advanceBackfill(tx, name, finished ? t.through : read.at(-1)!.envelope.id, finished);
      copied += wanted.length;
      deps.metrics.count('consumer_backfilled', wanted.length, { consumer: name });
      return finished ? 'finished' : 'copying';
    });
    if (turn === 'finished') {
      if (copied > 0) log.info({ copied }, 'durable consumer backfilled from the event log');
      return true;
    }
    if (turn === 'busy') await sleep(deps.busyRetryMs ?? 30_000, undefined, { signal, ref: false }).catch(() => {});
  }
  return false;
}
