import type { Db, Queryable } from '../../packages/server/src/store/db.js';

/**
 * Wraps the node's database handle to count the statements it sends, so the report can say how many round trips a
 * booking costs. Counting is one increment per call: cheap enough to leave on while measuring.
 */
export function countStatements(inner: Db): { db: Db; statements(): number } {
  let n = 0;
  const wrap = (q: Queryable): Queryable => ({
    query(sql, params) {
      n++;
      return q.query(sql, params);
    },
    exec(sql) {
      n++;
      return q.exec(sql);
    },
  });
  const db: Db = {
    kind: inner.kind,
    ...wrap(inner),
    transaction(fn) {
      n += 2; // BEGIN, and COMMIT or ROLLBACK
      return inner.transaction((tx) => fn(wrap(tx)));
    },
    listen: (channel, onNotify) => inner.listen(channel, onNotify),
    stats: () => inner.stats(),
    close: () => inner.close(),
  };
  return { db, statements: () => n };
}
