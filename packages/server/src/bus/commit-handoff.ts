import type { Db, EventAppendHooks, Queryable } from '../store/db.js';
import type { StoredEvent } from '../store/event-log.js';

/**
 * The database, with the events each transaction appends handed to `offer` once it has committed (never for a
 * rollback). The bus takes them at once when they follow what it delivered (LogTailer.offer), so a local commit
 * reaches sockets without waiting for a NOTIFY and a read; the log stays the source of truth for order and gaps.
 */
export function handOffCommitted(db: Db, offer: (events: readonly StoredEvent[]) => void): Db {
  return {
    ...db,
    kind: db.kind,
    query: (sql, params) => db.query(sql, params),
    exec: (sql) => db.exec(sql),
    async transaction(fn) {
      const appended: StoredEvent[] = [];
      const result = await db.transaction((tx) => {
        const inner = tx.eventHooks;
        const hooks: EventAppendHooks = {
          appending: (count) => inner?.appending(count),
          appended(events) {
            inner?.appended(events);
            appended.push(...events);
          },
        };
        const observed: Queryable = {
          query: tx.query.bind(tx),
          exec: tx.exec.bind(tx),
          ...(tx.withCommit ? { withCommit: tx.withCommit.bind(tx) } : {}),
          eventHooks: hooks,
        };
        return fn(observed);
      });
      if (appended.length > 0) offer(appended);
      return result;
    },
    listen: (channel, onNotify) => db.listen(channel, onNotify),
    stats: () => db.stats(),
    close: () => db.close(),
  };
}
