import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BookingEndpoint, booking } from '../../test/support/booking-endpoint.js';
import { tokenPair } from '../../test/support/fixtures.js';
import { type HttpTestServer, startHttpServer } from '../../test/support/http-server.js';
import { ApiClient } from '../api-client.js';
import type { Clock } from '../clock.js';
import { MemoryTokenStorage } from '../token-storage.js';
import { ActionQueue, type LockManagerLike } from './action-queue.js';
import { sdkActionSender, sdkBookingReader } from './action-sender.js';
import { OfflineCache } from './offline-cache.js';
import { deleteOfflineDb, OfflineDb } from './offline-db.js';

const A = 'a0000000-0000-4000-8000-000000000001';
const B = 'b0000000-0000-4000-8000-000000000002';

/** Timers that run only when the test says so. */
class ManualClock implements Clock {
  private timers: { fn: () => void; at: number }[] = [];
  t = 0;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const timer = { fn, at: this.t + ms };
    this.timers.push(timer);
    return timer;
  };
  clearTimeout = (h: unknown) => {
    this.timers = this.timers.filter((t) => t !== h);
  };
  get waiting(): number {
    return this.timers.length;
  }
  runAll(): void {
    const due = this.timers.splice(0);
    for (const t of due) t.fn();
  }
}

let server: HttpTestServer;
let endpoint: BookingEndpoint;
let db: OfflineDb;
let clock: ManualClock;
let userId = 0;

async function makeQueue(locks: LockManagerLike | null = null, uid = `user-${userId}`) {
  const tokenStorage = new MemoryTokenStorage();
  tokenStorage.save(tokenPair(1));
  const api = new ApiClient({ baseUrl: server.url, tokenStorage, retry: { maxRetries: 0 } });
  await api.tokens.ready;
  const queueDb = new OfflineDb(uid);
  const queue = new ActionQueue({
    db: queueDb,
    cache: new OfflineCache(queueDb),
    send: sdkActionSender(api),
    read: sdkBookingReader(api),
    userId: uid,
    clock,
    random: () => 0.5,
    locks,
  });
  return { queue, db: queueDb };
}

beforeEach(async () => {
  userId++;
  server = await startHttpServer();
  endpoint = new BookingEndpoint(server);
  clock = new ManualClock();
  db = new OfflineDb(`user-${userId}`);
});

afterEach(async () => {
  db.close();
  await deleteOfflineDb(`user-${userId}`);
  await server.close();
});

const actionRequests = () => server.requests.filter((r) => r.method === 'POST');

describe('ActionQueue', () => {
  it('sends queued actions in the order they were taken, each with its own Idempotency-Key and expected version', async () => {
    endpoint.bookings.set(A, booking(A));
    endpoint.bookings.set(B, booking(B, { status: 'confirmed', version: 4 }));
    const { queue } = await makeQueue();
    await queue.enqueue({ payload: { kind: 'confirm' }, expected: booking(A) });
    await queue.enqueue({ payload: { kind: 'cancel', reason: 'ill' }, expected: endpoint.bookings.get(B)! });
    await queue.enqueue({
      payload: { kind: 'check-in' },
      expected: { ...booking(A), status: 'confirmed', version: 2 },
    });
    expect((await queue.pending()).map((a) => [a.kind, a.state])).toEqual([
      ['confirm', 'pending'],
      ['cancel', 'pending'],
      ['check-in', 'pending'],
    ]);

    expect(await queue.flush()).toBe('done');

    const sent = actionRequests();
    const path = (r: (typeof sent)[number]) => r.url.replace(/.*\/bookings\//, '');
    // One booking's actions in the order taken; another booking's may go alongside.
    expect(sent.filter((r) => r.url.includes(A)).map(path)).toEqual([`${A}/confirm`, `${A}/check-in`]);
    expect(sent.filter((r) => r.url.includes(B)).map(path)).toEqual([`${B}/cancel`]);
    expect(sent.map((r) => [path(r), (r.body as { version: number }).version])).toEqual(
      expect.arrayContaining([
        [`${A}/confirm`, 1],
        [`${B}/cancel`, 4],
        [`${A}/check-in`, 2],
      ]),
    );
    expect(new Set(sent.map((r) => r.headers['idempotency-key'])).size).toBe(3);
    expect(await queue.pending()).toEqual([]);
    expect(endpoint.bookings.get(A)?.status).toBe('checked_in');
    // The answers are in the cache, for the next offline start.
    expect((await db.bookings.get(B))?.booking.status).toBe('cancelled');
  });

  it('resends with the same key after a lost answer, and the server applies the action once', async () => {
    endpoint.bookings.set(A, booking(A));
    const { queue } = await makeQueue();
    await queue.enqueue({ payload: { kind: 'confirm' }, expected: booking(A) });
    endpoint.loseNextAnswer = true;

    expect(await queue.flush()).toBe('waiting');
    expect(endpoint.applied).toBe(1);
    const [waiting] = await queue.pending();
    expect(waiting).toMatchObject({ state: 'pending', attempts: 1 });
    expect(clock.waiting).toBe(1);

    // The back-off timer fires: the same request again, answered from the server's idempotency record.
    clock.runAll();
    await expect.poll(() => queue.pending()).toEqual([]);
    const sent = actionRequests();
    expect(sent).toHaveLength(2);
    expect(sent[0]!.headers['idempotency-key']).toBe(sent[1]!.headers['idempotency-key']);
    expect(endpoint.applied).toBe(1);
  });

  it('keeps later actions behind one that cannot reach the server, so none overtakes it', async () => {
    endpoint.bookings.set(A, booking(A));
    const { queue } = await makeQueue();
    await queue.enqueue({ payload: { kind: 'confirm' }, expected: booking(A) });
    await queue.enqueue({ payload: { kind: 'cancel' }, expected: { ...booking(A), status: 'confirmed', version: 2 } });
    endpoint.refuse.push({ status: 503, code: 'SERVICE_UNAVAILABLE' });

    expect(await queue.flush()).toBe('waiting');
    expect((await queue.pending()).map((a) => a.kind)).toEqual(['confirm', 'cancel']);
    expect(actionRequests()).toHaveLength(1);

    expect(await queue.flush()).toBe('done');
    expect(endpoint.bookings.get(A)).toMatchObject({ status: 'cancelled', version: 3 });
  });

  it('sends different bookings concurrently, and holds a reschedule until the actions before it are answered', async () => {
    const C = 'c0000000-0000-4000-8000-000000000003';
    endpoint.bookings.set(A, booking(A));
    endpoint.bookings.set(B, booking(B, { status: 'confirmed', version: 4 }));
    endpoint.bookings.set(C, booking(C, { status: 'confirmed' }));
    const { queue } = await makeQueue();
    await queue.enqueue({ payload: { kind: 'confirm' }, expected: booking(A) });
    await queue.enqueue({ payload: { kind: 'cancel' }, expected: endpoint.bookings.get(B)! });
    // A reschedule claims a slot, which the cancel before it may have freed: it must not overtake it.
    const startAt = '2030-01-02T10:00:00.000Z';
    await queue.enqueue({ payload: { kind: 'reschedule', input: { startAt } }, expected: endpoint.bookings.get(C)! });
    // The first two answers wait until both requests have arrived: only concurrent sends get past this.
    let release!: () => void;
    const both = new Promise<void>((r) => (release = r));
    for (let i = 0; i < 2; i++) server.queue.push((req, res) => void both.then(() => server.fallback(req, res)));
    const flushing = queue.flush();
    await expect.poll(() => actionRequests().length).toBe(2);
    expect(actionRequests().some((r) => r.url.includes(C))).toBe(false);
    release();
    expect(await flushing).toBe('done');
    expect(actionRequests().map((r) => r.url.replace(/.*\/bookings\/[^/]+\//, ''))).toEqual([
      expect.stringMatching(/^(confirm|cancel)$/),
      expect.stringMatching(/^(confirm|cancel)$/),
      'reschedule',
    ]);
    expect(endpoint.bookings.get(C)?.startAt).toBe(startAt);
    expect(await queue.pending()).toEqual([]);
  });

  it('survives a reload: a new queue on the same database sends what the old one left, in order', async () => {
    endpoint.bookings.set(A, booking(A));
    const first = await makeQueue();
    await first.queue.enqueue({ payload: { kind: 'confirm' }, expected: booking(A) });
    first.queue.stop();
    first.db.close();

    const second = await makeQueue();
    expect(await second.queue.flush()).toBe('done');
    expect(endpoint.bookings.get(A)?.status).toBe('confirmed');
    second.db.close();
  });

  it('lets one tab flush while another tab of the same user holds the lock', async () => {
    endpoint.bookings.set(A, booking(A));
    const held = new Set<string>();
    let release!: () => void;
    const blocker = new Promise<void>((r) => (release = r));
    // A lock manager shared by both "tabs", as navigator.locks is per origin.
    const locks: LockManagerLike = {
      async request(name, _opts, cb) {
        if (held.has(name)) return cb(null);
        held.add(name);
        try {
          return await cb({});
        } finally {
          held.delete(name);
        }
      },
    };
    const tab1 = await makeQueue(locks);
    const tab2 = await makeQueue(locks);
    await tab1.queue.enqueue({ payload: { kind: 'confirm' }, expected: booking(A) });
    server.queue.push((req, res) => {
      void blocker.then(() => server.fallback(req, res));
    });
    const flushing = tab1.queue.flush();
    await expect.poll(() => actionRequests().length).toBe(1);
    expect(await tab2.queue.flush()).toBe('busy');
    release();
    expect(await flushing).toBe('done');
    expect(endpoint.applied).toBe(1);
    tab1.db.close();
    tab2.db.close();
  });

  it('tells other tabs that the queue changed', async () => {
    const tab1 = await makeQueue();
    const tab2 = await makeQueue();
    let heard = 0;
    tab2.queue.on('change', () => {
      heard++;
    });
    await tab1.queue.enqueue({ payload: { kind: 'mark-read', notificationId: A }, expected: null });
    await expect.poll(() => heard).toBeGreaterThan(0);
    tab1.queue.stop();
    tab2.queue.stop();
    tab1.db.close();
    tab2.db.close();
  });
});
