import type { Span } from '@opentelemetry/api';
import type { Db, Queryable } from '../store/db.js';
import type { StoredEvent } from '../store/event-log.js';
import type { Metrics } from './metrics.js';
import { type Tracing, traceparentOf } from './tracing.js';

/**
 * Wraps a Db so every statement and transaction is timed, failures are counted, a transaction runs in a trace span
 * (when tracing is on), and the events a transaction appended are counted once it commits.
 */
export function instrumentDb(db: Db, metrics: Metrics, tracing: Tracing): Db {
  const timed = async <T>(op: 'query' | 'transaction', run: () => Promise<T>): Promise<T> => {
    const end = metrics.dbQueryDuration.startTimer({ op });
    try {
      return await run();
    } catch (err) {
      metrics.dbErrors.inc({ op });
      throw err;
    } finally {
      end();
    }
  };
  return {
    ...db,
    kind: db.kind,
    query: (sql, params) => timed('query', () => db.query(sql, params)),
    exec: (sql) => timed('query', () => db.exec(sql)),
    transaction: (fn) =>
      tracing.inSpan('db.transaction', { 'db.system': 'postgresql' }, () =>
        timed('transaction', async () => {
          const appended: StoredEvent[] = [];
          const result = await db.transaction((tx) => {
            let span: Span | null = null;
            const observed: Queryable = {
              query: tx.query.bind(tx),
              exec: tx.exec.bind(tx),
              ...(tx.withCommit ? { withCommit: tx.withCommit.bind(tx) } : {}),
              eventHooks: {
                appending(count) {
                  span = tracing.startSpan('events.append', { 'slotcast.events.count': count });
                  return span ? traceparentOf(span) : undefined;
                },
                appended(events) {
                  appended.push(...events);
                  (span as Span | null)?.setAttribute(
                    'slotcast.event.ids',
                    events.map((e) => e.envelope.id),
                  );
                  (span as Span | null)?.end();
                },
              },
            };
            return fn(observed);
          });
          // Counted after commit: a rolled-back append never happened.
          for (const e of appended) metrics.eventsAppended.inc({ type: e.envelope.type });
          return result;
        }),
      ),
    listen: (channel, onNotify) => db.listen(channel, onNotify),
    stats: () => db.stats(),
    close: () => db.close(),
  };
}
