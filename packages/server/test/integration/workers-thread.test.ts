import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Booking, EventEnvelope, NotificationCreatedData } from '@slotcast/protocol';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlotcast } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { DB_KINDS, freshDb } from '../support/databases.js';
import { parseExposition, seriesValue } from '../support/prometheus.js';
import { TEST_JWT_SECRET, type TestServer } from '../support/server.js';
import { listen } from '../support/sockets.js';
import { api, book, buildWorld, slotAt, type World } from '../support/world.js';

const ofType = (events: EventEnvelope[], type: string) => events.filter((e) => e.type === type);

/**
 * A node on PostgreSQL as it runs in production: from its settings alone (DATABASE_URL, nothing passed in), with its
 * workers in a thread of their own (WORKERS_THREAD; `auto` on four cores or more). What the node's users see must not change:
 * notifications arrive live, account mail goes out, the workers' logs and metrics are the node's.
 */
describe.skipIf(!DB_KINDS.includes('postgres'))('a node whose workers run in a thread', () => {
  let server: TestServer;
  let w: World;
  let dataDir: string;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    const testDb = await freshDb('postgres');
    dataDir = await mkdtemp(path.join(tmpdir(), 'slotcast-workers-thread-'));
    const config = loadConfig({
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      JWT_SECRET: TEST_JWT_SECRET,
      DATA_DIR: dataDir,
      DATABASE_URL: testDb.url!,
      // Whatever the cores of the machine running the tests (`auto` wants four).
      WORKERS_THREAD: 'true',
      LOG_LEVEL: 'info',
      RATE_LIMITS_ENABLED: 'false',
    });
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
        done();
      },
    });
    const slotcast = await createSlotcast(config, pino({ level: 'info' }, sink));
    const { url } = await slotcast.listen();
    server = {
      slotcast,
      url,
      testDb,
      async close() {
        await slotcast.close();
        await testDb.drop();
      },
    };
    w = await buildWorld(server);
  });
  afterAll(async () => {
    await server?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('tells staff about a new request live: the thread writes the notification, the node carries it', async () => {
    const staff = await listen(server, { token: w.a.staff.token });
    const created = (await book(server, w.alice, w.a, slotAt(2, 10))).body as Booking;

    await expect.poll(() => ofType(staff.events, 'notification.created'), { timeout: 10_000 }).toHaveLength(1);
    const [made] = ofType(staff.events, 'notification.created');
    expect((made!.data as NotificationCreatedData).notification).toMatchObject({
      bookingId: created.id,
      category: 'request',
    });
    // The booking event came first on the socket, then the notification about it.
    expect(staff.events.map((e) => e.type).slice(0, 2)).toEqual(['booking.requested', 'notification.created']);
    staff.close();
  });

  it('sends account mail from the thread and logs it through the node’s logger', async () => {
    const r = await api(server, 'POST', '/auth/register', {
      body: { email: 'thread@example.test', password: 'a-long-enough-password', name: 'Thread' },
    });
    expect(r.status).toBe(201);
    await expect.poll(() => lines.some((l) => l.msg === 'mail written (no SMTP_URL)'), { timeout: 10_000 }).toBe(true);
    const line = lines.find((l) => l.msg === 'mail written (no SMTP_URL)')!;
    expect(line).toMatchObject({ thread: 'workers', level: 30 });
    expect(await readdir(path.join(dataDir, 'mail'))).toContain(path.basename(String(line.file)));
  });

  it('reports the workers’ figures in the node’s /metrics, next to its own', async () => {
    const scrape = async () => {
      const res = await fetch(`${server.url}/metrics`);
      expect(res.status).toBe(200);
      return parseExposition(await res.text());
    };
    // Only the thread runs durable consumers: their lag (each reports it every second) and what they handled come
    // from its registry.
    const consumersWithLag = async () =>
      ((await scrape()).get('slotcast_bus_consumer_lag_events')?.samples.get('slotcast_bus_consumer_lag_events') ?? [])
        .map((s) => s.labels.consumer)
        .sort();
    await expect
      .poll(consumersWithLag, { timeout: 5_000 })
      .toEqual(['analytics', 'mailer', 'notifications', 'reminders']);
    const families = await scrape();
    expect(
      seriesValue(families, 'slotcast_bus_consumer_delivered_total', { consumer: 'notifications' }),
    ).toBeGreaterThan(0);
    expect(seriesValue(families, 'slotcast_node_info', { node: server.slotcast.config.nodeId })).toBe(1);
    expect(seriesValue(families, 'nodejs_eventloop_lag_p99_seconds', {})).toBeGreaterThanOrEqual(0);
  });
});
