import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../store/db.js';
import { appendEvents, type StoredEvent } from '../store/event-log.js';
import { migrate } from '../store/migrate.js';
import { openPglite } from '../store/pglite.js';
import { LogTailer, type LogTailerOptions } from './log-tailer.js';

const commit = (db: Db, n = 1) =>
  db.transaction((tx) =>
    appendEvents(
      tx,
      Array.from({ length: n }, () => ({
        type: 'test.happened',
        bookingId: null,
        vendorId: null,
        customerId: null,
        resourceId: null,
        data: {},
      })),
    ),
  );

/**
 * A migrated PGlite log and a started tailer on it, with the ids it delivers, for one describe block (stopped and
 * closed after it). The fields are read in the tests, after `beforeAll` filled them.
 */
function tailedLog(options: LogTailerOptions): { db: Db; tailer: LogTailer; delivered: number[]; batches: number[] } {
  const t = {
    db: undefined as unknown as Db,
    tailer: undefined as unknown as LogTailer,
    delivered: [] as number[],
    /** The size of each batch handed out. */
    batches: [] as number[],
  };
  beforeAll(async () => {
    t.db = await openPglite();
    await migrate(t.db);
    t.tailer = new LogTailer(t.db, options);
    t.tailer.subscribe((batch: StoredEvent[]) => {
      t.delivered.push(...batch.map((e) => e.envelope.id));
      t.batches.push(batch.length);
    });
    await t.tailer.start();
  }, 60_000);
  afterAll(async () => {
    await t.tailer?.stop();
    await t.db?.close();
  });
  return t;
}

describe('LogTailer: rows handed over by this node, and the log as the source of truth', () => {
  const t = tailedLog({ pollMs: 60_000, batchSize: 3 });

  it('delivers committed rows that follow its cursor as soon as they are offered, each once', async () => {
    const rows = await commit(t.db, 2);
    t.tailer.offer(rows);
    const ids = rows.map((e) => e.envelope.id);
    expect(t.delivered.slice(-2)).toEqual(ids);
    expect(t.tailer.lastDeliveredId).toBe(ids[1]);
    // The commit's NOTIFY (and any read) find them delivered already.
    const sentinel = await commit(t.db);
    await vi.waitFor(() => expect(t.delivered.at(-1)).toBe(sentinel[0]!.envelope.id));
    expect(t.delivered).toEqual([...new Set(t.delivered)].sort((a, b) => a - b));
  });

  it('leaves rows after a gap to the log read, which delivers everything in id order, across several batches', async () => {
    const before = t.delivered.length;
    const missed = await commit(t.db, 4);
    const offered = await commit(t.db, 1);
    // Offered out of turn (the missed rows were not offered): taking it now would skip them.
    t.tailer.offer(offered);
    await vi.waitFor(() => expect(t.delivered.length - before).toBe(5));
    expect(t.delivered.slice(before)).toEqual([...missed, ...offered].map((e) => e.envelope.id));
  });
});

describe('LogTailer: a backlog many batches long', () => {
  const t = tailedLog({ pollMs: 60_000, batchSize: 3, markPublished: true });

  it('delivers it in id order, each row once, with rows offered while it drains, and marks every row published', async () => {
    const backlog = await commit(t.db, 11);
    t.tailer.poke();
    // Committed and offered while the backlog is being read ahead.
    const offered = await commit(t.db, 2);
    t.tailer.offer(offered);
    const sentinel = await commit(t.db);
    t.tailer.poke();
    const all = [...backlog, ...offered, ...sentinel].map((e) => e.envelope.id);
    await vi.waitFor(() => expect(t.delivered.at(-1)).toBe(all.at(-1)));
    expect(t.delivered).toEqual(all);
    await vi.waitFor(async () => {
      const [row] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE published_at IS NULL');
      expect(row!.n).toBe(0);
    });
  });
});

describe('LogTailer: commits of this node offered out of order', () => {
  // The tailer reads through a database that has none of these rows yet (a log read that has not caught up), so
  // only what is offered can reach the subscribers. The tailer closes it when it stops.
  const t = tailedLog({
    pollMs: 60_000,
    openReader: async () => {
      const lagging = await openPglite();
      await migrate(lagging);
      return lagging;
    },
  });

  it('holds a commit offered before the one preceding it, and delivers both in id order when that one comes', async () => {
    const first = await commit(t.db);
    const second = await commit(t.db, 2);
    // The later commit's reply was read first.
    t.tailer.offer(second);
    expect(t.delivered).toEqual([]);
    t.tailer.offer(first);
    expect(t.delivered).toEqual([...first, ...second].map((e) => e.envelope.id));
    expect(t.tailer.lastDeliveredId).toBe(second[1]!.envelope.id);
    // Offered again (a read catching up would hand them on the same way): nothing is delivered twice.
    t.tailer.offer(second);
    const third = await commit(t.db);
    t.tailer.offer(third);
    expect(t.delivered).toEqual([...first, ...second, ...third].map((e) => e.envelope.id));
  });
});

describe('LogTailer: reads that grow behind a backlog', () => {
  const t = tailedLog({ pollMs: 60_000, batchSize: 3, maxBatchSize: 12 });

  it('doubles each read while they come back full, up to the most, and starts small again once caught up', async () => {
    const backlog = await commit(t.db, 40);
    t.tailer.poke();
    await vi.waitFor(() => expect(t.delivered.at(-1)).toBe(backlog.at(-1)!.envelope.id));
    // Fewer, larger batches: each is one frame per socket at the gateway.
    expect(t.batches).toEqual([3, 6, 12, 12, 7]);
    const later = await commit(t.db, 5);
    t.tailer.poke();
    await vi.waitFor(() => expect(t.delivered.at(-1)).toBe(later.at(-1)!.envelope.id));
    expect(t.batches.slice(5)).toEqual([3, 2]);
    expect(t.delivered).toEqual([...backlog, ...later].map((e) => e.envelope.id));
  });
});
