import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../store/db.js';
import { appendEvents, type StoredEvent } from '../store/event-log.js';
import { migrate } from '../store/migrate.js';
import { openPglite } from '../store/pglite.js';
import { LogTailer } from './log-tailer.js';

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

describe('LogTailer: rows handed over by this node, and the log as the source of truth', () => {
  let db: Db;
  let tailer: LogTailer;
  const delivered: number[] = [];
  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    tailer = new LogTailer(db, { pollMs: 60_000, batchSize: 3 });
    tailer.subscribe((batch: StoredEvent[]) => delivered.push(...batch.map((e) => e.envelope.id)));
    await tailer.start();
  }, 60_000);
  afterAll(async () => {
    await tailer?.stop();
    await db?.close();
  });

  it('delivers committed rows that follow its cursor as soon as they are offered, each once', async () => {
    const rows = await commit(db, 2);
    tailer.offer(rows);
    const ids = rows.map((e) => e.envelope.id);
    expect(delivered.slice(-2)).toEqual(ids);
    expect(tailer.lastDeliveredId).toBe(ids[1]);
    // The commit's NOTIFY (and any read) find them delivered already.
    const sentinel = await commit(db);
    await vi.waitFor(() => expect(delivered.at(-1)).toBe(sentinel[0]!.envelope.id));
    expect(delivered).toEqual([...new Set(delivered)].sort((a, b) => a - b));
  });

  it('leaves rows after a gap to the log read, which delivers everything in id order, across several batches', async () => {
    const before = delivered.length;
    const missed = await commit(db, 4);
    const offered = await commit(db, 1);
    // Offered out of turn (the missed rows were not offered): taking it now would skip them.
    tailer.offer(offered);
    await vi.waitFor(() => expect(delivered.length - before).toBe(5));
    expect(delivered.slice(before)).toEqual([...missed, ...offered].map((e) => e.envelope.id));
  });
});

describe('LogTailer: a backlog many batches long', () => {
  let db: Db;
  let tailer: LogTailer;
  const delivered: number[] = [];
  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    tailer = new LogTailer(db, { pollMs: 60_000, batchSize: 3, markPublished: true });
    tailer.subscribe((batch: StoredEvent[]) => delivered.push(...batch.map((e) => e.envelope.id)));
    await tailer.start();
  }, 60_000);
  afterAll(async () => {
    await tailer?.stop();
    await db?.close();
  });

  it('delivers it in id order, each row once, with rows offered while it drains, and marks every row published', async () => {
    const backlog = await commit(db, 11);
    tailer.poke();
    // Committed and offered while the backlog is being read ahead.
    const offered = await commit(db, 2);
    tailer.offer(offered);
    const sentinel = await commit(db);
    tailer.poke();
    const all = [...backlog, ...offered, ...sentinel].map((e) => e.envelope.id);
    await vi.waitFor(() => expect(delivered.at(-1)).toBe(all.at(-1)));
    expect(delivered).toEqual(all);
    await vi.waitFor(async () => {
      const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE published_at IS NULL');
      expect(row!.n).toBe(0);
    });
  });
});

describe('LogTailer: commits of this node offered out of order', () => {
  let db: Db;
  let lagging: Db;
  let tailer: LogTailer;
  const delivered: number[] = [];
  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    // The tailer reads through a database that has none of these rows yet (a log read that has not caught up), so
    // only what is offered can reach the subscribers.
    lagging = await openPglite();
    await migrate(lagging);
    tailer = new LogTailer(db, { pollMs: 60_000, openReader: async () => lagging });
    tailer.subscribe((batch: StoredEvent[]) => delivered.push(...batch.map((e) => e.envelope.id)));
    await tailer.start();
  }, 60_000);
  afterAll(async () => {
    await tailer?.stop();
    await db?.close();
  });

  it('holds a commit offered before the one preceding it, and delivers both in id order when that one comes', async () => {
    const first = await commit(db);
    const second = await commit(db, 2);
    // The later commit's reply was read first.
    tailer.offer(second);
    expect(delivered).toEqual([]);
    tailer.offer(first);
    expect(delivered).toEqual([...first, ...second].map((e) => e.envelope.id));
    expect(tailer.lastDeliveredId).toBe(second[1]!.envelope.id);
    // Offered again (a read catching up would hand them on the same way): nothing is delivered twice.
    tailer.offer(second);
    const third = await commit(db);
    tailer.offer(third);
    expect(delivered).toEqual([...first, ...second, ...third].map((e) => e.envelope.id));
  });
});
