import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { outboxStats } from '../../src/store/event-log.js';
import { DB_KINDS, freshDb } from '../support/databases.js';
import {
  exportedNames,
  type Family,
  findPromtool,
  parseExposition,
  runPromtool,
  seriesValue,
} from '../support/prometheus.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { connectError, listen } from '../support/sockets.js';
import { api, book, buildWorld, slotAt, type World } from '../support/world.js';

async function scrape(server: TestServer, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}/metrics`, { headers });
  const text = await res.text();
  return { res, text, families: res.status === 200 ? parseExposition(text) : new Map<string, Family>() };
}

const promtool = findPromtool();

describe.each(DB_KINDS)('GET /metrics on %s', (kind) => {
  let server: TestServer;
  let w: World;
  let text: string;
  let m: Map<string, Family>;

  beforeAll(async () => {
    server = await startTestServer(kind);
    w = await buildWorld(server);

    // Some traffic of every kind the metrics count.
    await api(server, 'GET', '/vendors');
    await api(server, 'GET', `/bookings/${randomUUID()}`, { token: w.alice.token });
    await api(server, 'GET', `/no-such-route-${randomUUID()}`);
    const ws = await listen(server, { token: w.alice.token });
    const polling = await listen(server, { token: w.a.staff.token }, { transports: ['polling'], upgrade: false });
    const startAt = slotAt(5, 9);
    expect((await book(server, w.alice, w.a, startAt)).status).toBe(201);
    expect((await book(server, w.bob, w.a, startAt)).status).toBe(409);
    await ws.waitFor(1);
    await polling.waitFor(1);
    const replay = await listen(server, { token: w.alice.token, lastEventId: 0 });
    await replay.replayDone;
    const ahead = await listen(server, { token: w.alice.token, lastEventId: 10_000_000 });
    await ahead.resync;
    expect((await connectError(server, { token: `${w.alice.token.slice(0, -4)}AAAA` })).data?.code).toBe(
      'AUTH_TOKEN_INVALID',
    );
    replay.close();
    ahead.close();
    // Counters of socket events land a moment after the client sees them.
    m = await vi.waitFor(
      async () => {
        const f = (await scrape(server)).families;
        expect(seriesValue(f, 'slotcast_socket_disconnects_total')).toBeGreaterThanOrEqual(2);
        expect(seriesValue(f, 'slotcast_socket_connections')).toBe(2);
        return f;
      },
      { timeout: 10_000, interval: 50 },
    );
    text = (await scrape(server)).text;
    ws.close();
    polling.close();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('serves the Prometheus text format', async () => {
    const { res } = await scrape(server);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('labels HTTP requests with the route pattern, never the raw URL', () => {
    expect(
      seriesValue(m, 'slotcast_http_requests_total', { route: '/api/v1/bookings/:id', method: 'GET', status: '404' }),
    ).toBe(1);
    expect(seriesValue(m, 'slotcast_http_requests_total', { route: '/api/v1/vendors', status: '200' })).toBeGreaterThan(
      0,
    );
    expect(seriesValue(m, 'slotcast_http_requests_total', { route: 'unmatched', status: '404' })).toBe(1);
    expect(seriesValue(m, 'slotcast_http_request_duration_seconds_count', { route: '/api/v1/bookings' })).toBe(2);
    expect(text).not.toMatch(/route="[^"]*[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(seriesValue(m, 'slotcast_http_problems_total', { code: 'BOOKING_SLOT_TAKEN' })).toBe(1);
  });

  it('counts sockets by node and transport, connects, disconnects by reason, auth failures by code and rooms', () => {
    const node = server.slotcast.config.nodeId;
    expect(seriesValue(m, 'slotcast_socket_connections', { node, transport: 'websocket' })).toBe(1);
    expect(seriesValue(m, 'slotcast_socket_connections', { node, transport: 'polling' })).toBe(1);
    expect(seriesValue(m, 'slotcast_socket_connects_total')).toBe(4);
    expect(seriesValue(m, 'slotcast_socket_disconnects_total', { reason: 'client namespace disconnect' })).toBe(2);
    expect(seriesValue(m, 'slotcast_socket_auth_failures_total', { code: 'AUTH_TOKEN_INVALID' })).toBe(1);
    // Alice's user room, the staff member's user and vendor rooms, at least.
    expect(seriesValue(m, 'slotcast_socket_rooms')).toBeGreaterThanOrEqual(3);
  });

  it('counts events appended by type, delivered, and their commit→emit latency', () => {
    expect(seriesValue(m, 'slotcast_events_appended_total', { type: 'booking.requested' })).toBe(1);
    expect(seriesValue(m, 'slotcast_events_delivered_total')).toBeGreaterThanOrEqual(1);
    expect(seriesValue(m, 'slotcast_event_delivery_latency_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(seriesValue(m, 'slotcast_event_delivery_latency_seconds_bucket', { le: '+Inf' })).toBe(
      seriesValue(m, 'slotcast_event_delivery_latency_seconds_count'),
    );
  });

  it('counts replays, replayed events and RESYNC_REQUIRED answers', () => {
    expect(seriesValue(m, 'slotcast_replay_requests_total')).toBe(2);
    expect(seriesValue(m, 'slotcast_replayed_events_total')).toBeGreaterThanOrEqual(1);
    expect(seriesValue(m, 'slotcast_replay_resyncs_total')).toBe(1);
    expect(seriesValue(m, 'slotcast_replay_failures_total')).toBe(0);
  });

  it('reports the outbox, the database pool and query times, event-loop lag, memory and the database as up', () => {
    expect(m.get('slotcast_outbox_lag_seconds')?.type).toBe('gauge');
    expect(seriesValue(m, 'slotcast_dependency_up', { dependency: 'database' })).toBe(1);
    expect(seriesValue(m, 'slotcast_outbox_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(seriesValue(m, 'slotcast_db_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1);
    expect(seriesValue(m, 'slotcast_db_query_duration_seconds_count', { op: 'transaction' })).toBeGreaterThan(0);
    expect(seriesValue(m, 'slotcast_db_query_duration_seconds_count', { op: 'query' })).toBeGreaterThan(0);
    expect(m.has('nodejs_eventloop_lag_p99_seconds')).toBe(true);
    expect(seriesValue(m, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(seriesValue(m, 'slotcast_rate_limit_divisor')).toBe(1);
  });

  it.skipIf(!promtool)('passes `promtool check metrics`', () => {
    const r = runPromtool(['check', 'metrics'], text);
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('metrics of several nodes in one process', () => {
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    [a, b] = await Promise.all([startTestServer('pglite'), startTestServer('pglite')]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('keeps each node’s counters in its own registry', async () => {
    for (let i = 0; i < 3; i++) await api(a, 'GET', '/vendors');
    await api(b, 'GET', '/vendors');
    expect(seriesValue((await scrape(a)).families, 'slotcast_http_requests_total', { route: '/api/v1/vendors' })).toBe(
      3,
    );
    expect(seriesValue((await scrape(b)).families, 'slotcast_http_requests_total', { route: '/api/v1/vendors' })).toBe(
      1,
    );
  });

  it('exports the same series names from every node', async () => {
    expect([...exportedNames((await scrape(a)).families)].sort()).toEqual(
      [...exportedNames((await scrape(b)).families)].sort(),
    );
  });
});

describe('METRICS_TOKEN', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite', { METRICS_TOKEN: 'scrape-token-0123456789' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('refuses a scrape without the bearer token with 401 problem+json, and serves one with it', async () => {
    const without = await scrape(server);
    expect(without.res.status).toBe(401);
    expect(without.res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await scrape(server, { authorization: 'Bearer wrong-token-0123456789' })).res.status).toBe(401);
    const withToken = await scrape(server, { authorization: 'Bearer scrape-token-0123456789' });
    expect(withToken.res.status).toBe(200);
    expect(withToken.families.has('slotcast_http_requests_total')).toBe(true);
  });
});

describe.each(DB_KINDS)('outbox lag on %s', (kind) => {
  it('is the age of the oldest unpublished event, and 0 once all are published', async () => {
    const t = await freshDb(kind);
    try {
      expect(await outboxStats(t.db)).toEqual({ unpublished: 0, oldestAgeSeconds: 0 });
      await t.db.query(
        `INSERT INTO events (type, payload, occurred_at)
         VALUES ('test.old', '{}', now() - interval '90 seconds'), ('test.new', '{}', now())`,
      );
      const stats = await outboxStats(t.db);
      expect(stats.unpublished).toBe(2);
      expect(stats.oldestAgeSeconds).toBeGreaterThanOrEqual(90);
      expect(stats.oldestAgeSeconds).toBeLessThan(120);
      await t.db.query('UPDATE events SET published_at = now()');
      expect(await outboxStats(t.db)).toEqual({ unpublished: 0, oldestAgeSeconds: 0 });
    } finally {
      await t.drop();
    }
  });
});
