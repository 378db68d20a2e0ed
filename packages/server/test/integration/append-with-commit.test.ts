import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../../src/store/db.js';
import {
  appendEvents,
  appendEventsAtCommit,
  type NewEvent,
  readAfter,
  type StoredEvent,
} from '../../src/store/event-log.js';
import { DB_KINDS, freshDb, type TestDb } from '../support/databases.js';

/** An internal event (no scope): enough to exercise the log. */
const event = (data: unknown): NewEvent => ({
  type: 'test.appended',
  bookingId: null,
  vendorId: null,
  customerId: null,
  resourceId: null,
  data,
});

/** The transaction handle with hooks that record what appendEvents reports, and when. */
function observed(tx: Queryable, log: string[], stored: StoredEvent[]): Queryable {
  return {
    query: tx.query.bind(tx),
    exec: tx.exec.bind(tx),
    ...(tx.withCommit ? { withCommit: tx.withCommit.bind(tx) } : {}),
    eventHooks: {
      appending: () => undefined,
      appended(events) {
        log.push('appended');
        stored.push(...events);
      },
    },
  };
}

describe.each(DB_KINDS)('appending events at commit on %s', (kind) => {
  let t: TestDb;

  beforeAll(async () => {
    t = await freshDb(kind);
  });
  afterAll(async () => {
    await t?.drop();
  });

  const lastId = async () => (await readAfter(t.db, 0, 100_000)).at(-1)?.envelope.id ?? 0;

  it('stores the batch exactly, quotes, backslashes and all, and reports the stored events once committed', async () => {
    const from = await lastId();
    // Every character a literal has to survive: the batch travels as one when it is sent with the COMMIT.
    const data = [
      { note: 'it\'s a \\ back\'slash "quoted" $1 $$ ünï 😀 \n tab\t', n: 1 },
      { note: "E'\\x00'; COMMIT; --", nested: { a: [1, null, true] } },
    ];
    const log: string[] = [];
    const stored: StoredEvent[] = [];
    await t.db.transaction(async (tx) => {
      await appendEventsAtCommit(observed(tx, log, stored), data.map(event));
      log.push('fn done');
    });
    const read = await readAfter(t.db, from, 100);
    expect(read.map((e) => e.envelope.data)).toEqual(data);
    expect(stored.map((e) => e.envelope.id)).toEqual(read.map((e) => e.envelope.id));
    // On PostgreSQL the append goes with the COMMIT, after the transaction's own code; PGlite appends at once.
    expect(log).toEqual(kind === 'postgres' ? ['fn done', 'appended'] : ['appended', 'fn done']);
  });

  it('writes nothing of the transaction when the statement sent with the COMMIT fails', async () => {
    const from = await lastId();
    const failed = t.db.transaction(async (tx) => {
      await appendEvents(tx, [event({ first: true })]);
      if (tx.withCommit) tx.withCommit('SELECT 1 / 0', () => {});
      else await tx.query('SELECT 1 / 0');
    });
    await expect(failed).rejects.toThrow(/division by zero/);
    expect(await readAfter(t.db, from, 100)).toEqual([]);
    // The connection is usable afterwards: the failed transaction was rolled back, not left open.
    await t.db.transaction((tx) => appendEventsAtCommit(tx, [event({ after: true })]));
    expect((await readAfter(t.db, from, 100)).map((e) => e.envelope.data)).toEqual([{ after: true }]);
  });
});
