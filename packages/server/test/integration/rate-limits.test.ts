import type { Problem } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseExposition, seriesValue } from '../support/prometheus.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { type ClientSocket, connectError, listen } from '../support/sockets.js';
import { api, buildWorld, slotAt, type World } from '../support/world.js';

// Rate limits keep their counts in memory and do not depend on the database: one PGlite server suffices.

/** Each test draws on its own client address (the server trusts X-Forwarded-For from loopback, as behind a proxy). */
const from = (ip: string) => ({ 'x-forwarded-for': ip });

async function metric(server: TestServer, series: string, labels: Record<string, string> = {}) {
  return seriesValue(parseExposition(await (await fetch(`${server.url}/metrics`)).text()), series, labels);
}

type Ack = { ok: true } | { ok: false; error: { code: string; message: string; retryAfterMs?: number } };
const send = (socket: ClientSocket, event: 'follow' | 'unfollow' | 'auth:refresh', payload: unknown) =>
  new Promise<Ack>((resolve) => (socket.emit as (...a: unknown[]) => void)(event, payload, resolve));

function expectRateLimited(res: { status: number; body: unknown; headers: Headers }, limiter: string) {
  expect(res.status).toBe(429);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = res.body as Problem & { retryAfterMs: number; limiter: string };
  expect(problem).toMatchObject({ code: 'RATE_LIMITED', status: 429, limiter });
  expect(problem.retryAfterMs).toBeGreaterThan(0);
  expect(Number(res.headers.get('retry-after'))).toBe(Math.ceil(problem.retryAfterMs / 1000));
}

describe('rate limits', () => {
  let server: TestServer;
  let w: World;

  beforeAll(async () => {
    server = await startTestServer('pglite', {
      RATE_LIMITS_ENABLED: 'true',
      TRUST_PROXY: '127.0.0.1',
      RATE_LIMIT_HTTP_AUTH: '10/60',
      RATE_LIMIT_HTTP_MUTATIONS: '3/60',
      RATE_LIMIT_HTTP_READS: '4/60',
      RATE_LIMIT_SOCKET_HANDSHAKES: '3/60',
      RATE_LIMIT_SOCKETS_PER_USER: '2',
      RATE_LIMIT_SOCKET_FOLLOW: '3/60',
      RATE_LIMIT_SOCKET_AUTH_REFRESH: '2/60',
      RATE_LIMIT_SOCKET_FLOOD_REJECTIONS: '5',
      // Fixed budgets here: a loaded test machine must not tighten them (the adaptive suite below tests that).
      RATE_LIMIT_TIGHTEN_DIVISOR: '1',
    });
    w = await buildWorld(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers reads over the budget with 429 RATE_LIMITED and Retry-After, per client address', async () => {
    for (let i = 0; i < 4; i++)
      expect((await api(server, 'GET', '/vendors', { headers: from('203.0.113.1') })).status).toBe(200);
    expectRateLimited(await api(server, 'GET', '/vendors', { headers: from('203.0.113.1') }), 'http_reads');
    expect((await api(server, 'GET', '/vendors', { headers: from('203.0.113.2') })).status).toBe(200);
    // Probes and metrics are never limited.
    for (let i = 0; i < 6; i++) {
      expect((await fetch(`${server.url}/healthz`, { headers: from('203.0.113.1') })).status).toBe(200);
    }
  });

  it('limits changes separately from reads, refused or not', async () => {
    const body = { resourceId: w.a.resource.id, serviceId: w.a.service.id, startAt: slotAt(4, 3) };
    const headers = from('203.0.113.3');
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await api(server, 'POST', '/bookings', { token: w.alice.token, body, headers })).status);
    expect(statuses).toEqual([201, 409, 409]);
    expectRateLimited(
      await api(server, 'POST', '/bookings', { token: w.alice.token, body, headers }),
      'http_mutations',
    );
    expect((await api(server, 'GET', '/vendors', { headers })).status).toBe(200);
  });

  it('limits sign-in and token requests as their own class', async () => {
    const headers = from('203.0.113.4');
    for (let i = 0; i < 10; i++) {
      const res = await api(server, 'POST', '/auth/login', {
        headers,
        body: { email: `nobody${i}@test.test`, password: 'wrong-password-1' },
      });
      expect(res.status).toBe(401);
    }
    expectRateLimited(
      await api(server, 'POST', '/auth/refresh', { headers, body: { refreshToken: 'x'.repeat(40) } }),
      'http_auth',
    );
  });

  it('throttles socket handshakes per address before authenticating them', async () => {
    const opts = { extraHeaders: from('198.51.100.1') };
    for (let i = 0; i < 3; i++) (await listen(server, { token: w.bob.token }, opts)).close();
    const refused = (await connectError(server, { token: w.bob.token }, opts)) as {
      data?: { code: string; retryAfterMs?: number };
    };
    expect(refused.data?.code).toBe('RATE_LIMITED');
    expect(refused.data?.retryAfterMs).toBeGreaterThan(0);
    // Even a handshake with no token is refused for the rate, not the token: authentication did not run.
    expect((await connectError(server, {}, opts)).data?.code).toBe('RATE_LIMITED');
    (await listen(server, { token: w.bob.token }, { extraHeaders: from('198.51.100.2') })).close();
  });

  it('caps open sockets per user, and frees a slot when one closes', async () => {
    const opts = { extraHeaders: from('198.51.100.3') };
    const one = await listen(server, { token: w.alice.token }, opts);
    const two = await listen(server, { token: w.alice.token }, opts);
    const refused = (await connectError(server, { token: w.alice.token }, { extraHeaders: from('198.51.100.4') })) as {
      data?: { code: string };
    };
    expect(refused.data?.code).toBe('RATE_LIMITED');
    // Another user is not affected.
    const bob = await listen(server, { token: w.bob.token }, { extraHeaders: from('198.51.100.5') });
    one.close();
    // The server learns of the close a moment later; until then a third handshake is still refused.
    const three = await vi.waitFor(
      () => listen(server, { token: w.alice.token }, { extraHeaders: from('198.51.100.6') }),
      {
        timeout: 8_000,
        interval: 50,
      },
    );
    expect(three.socket.connected).toBe(true);
    for (const l of [two, three, bob]) l.close();
  });

  it('acks socket messages over a user’s budget with RATE_LIMITED and retryAfterMs, per message type', async () => {
    const a = await listen(server, { token: w.admin.token }, { extraHeaders: from('198.51.100.7') });
    const b = await listen(server, { token: w.admin.token }, { extraHeaders: from('198.51.100.7') });
    const target = { kind: 'resource', id: w.a.resource.id };
    for (let i = 0; i < 3; i++)
      expect(await send(i === 1 ? b.socket : a.socket, 'follow', target)).toMatchObject({ ok: true });
    // The budget is the user's, across their sockets.
    for (const s of [a.socket, b.socket]) {
      const ack = await send(s, 'follow', target);
      expect(ack).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
      expect((ack as { error: { retryAfterMs: number } }).error.retryAfterMs).toBeGreaterThan(0);
    }
    expect(await send(a.socket, 'unfollow', target)).toMatchObject({ ok: true });
    expect(await send(a.socket, 'auth:refresh', { token: w.admin.token })).toMatchObject({ ok: true });
    expect(await send(a.socket, 'auth:refresh', { token: w.admin.token })).toMatchObject({ ok: true });
    expect(await send(a.socket, 'auth:refresh', { token: w.admin.token })).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED' },
    });
    expect(a.socket.connected).toBe(true);
    a.close();
    b.close();
  });

  it('sends `closing` RATE_LIMITED and disconnects a socket that keeps flooding', async () => {
    const s = await listen(server, { token: w.a.staff.token }, { extraHeaders: from('198.51.100.8') });
    const closed = new Promise<string>((resolve) => s.socket.once('disconnect', resolve));
    const target = { kind: 'resource', id: w.a.resource.id };
    const acks = await Promise.all(Array.from({ length: 8 }, () => send(s.socket, 'follow', target)));
    expect(acks.filter((a) => a.ok)).toHaveLength(3);
    expect(await s.first('closing')).toEqual({ code: 'RATE_LIMITED', message: expect.any(String) });
    expect(await closed).toBe('io server disconnect');
  });

  it('counts rejections by limiter, and flood disconnects', async () => {
    const get = (limiter: string) => metric(server, 'slotcast_rate_limit_rejections_total', { limiter });
    expect(await get('http_reads')).toBe(1);
    expect(await get('http_mutations')).toBe(1);
    expect(await get('http_auth')).toBe(1);
    expect(await get('socket_handshake')).toBe(2);
    expect(await get('socket_concurrency')).toBeGreaterThanOrEqual(1);
    expect(await get('socket_follow')).toBe(7);
    expect(await get('socket_auth_refresh')).toBe(1);
    expect(await metric(server, 'slotcast_rate_limit_disconnects_total')).toBe(1);
    expect(await metric(server, 'slotcast_http_problems_total', { code: 'RATE_LIMITED' })).toBe(3);
  });
});

describe('adaptive rate limits', () => {
  let server: TestServer;
  let w: World;
  const divisor = () => metric(server, 'slotcast_rate_limit_divisor');
  /** How many reads a fresh address gets before a 429. */
  const readBudget = async (ip: string) => {
    let n = 0;
    while ((await api(server, 'GET', '/vendors', { headers: from(ip) })).status === 200 && n < 20) n++;
    return n;
  };

  beforeAll(async () => {
    server = await startTestServer('pglite', {
      RATE_LIMITS_ENABLED: 'true',
      TRUST_PROXY: '127.0.0.1',
      RATE_LIMIT_HTTP_READS: '6/60',
      // Well above what a busy test machine shows, so only the deliberate stalls below cross it.
      RATE_LIMIT_TIGHTEN_LAG_MS: '400',
      RATE_LIMIT_TIGHTEN_CONNECTIONS: '1',
      RATE_LIMIT_TIGHTEN_DIVISOR: '2',
      RATE_LIMIT_RELAX_SECONDS: '1',
    });
    w = await buildWorld(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('halves every limit while the event loop lags, and relaxes after a quiet second', async () => {
    expect(await readBudget('192.0.2.1')).toBe(6);
    // Keep the loop this server runs on (the test shares its process) busy: 500 ms blocks, back to back, so most of
    // a second's delay samples are late (a single stall would not move the p99).
    for (let i = 0; i < 5; i++) {
      const blockUntil = Date.now() + 500;
      while (Date.now() < blockUntil) {}
      await new Promise((r) => setTimeout(r, 1));
    }
    await expect.poll(divisor, { timeout: 8_000 }).toBe(2);
    expect(await readBudget('192.0.2.2')).toBe(3);
    await expect.poll(divisor, { timeout: 8_000 }).toBe(1);
    expect(await readBudget('192.0.2.3')).toBe(6);
  });

  it('halves them while the node holds the threshold’s connections, and relaxes once they go', async () => {
    const s = await listen(server, { token: w.alice.token }, { extraHeaders: from('192.0.2.9') });
    await expect.poll(divisor, { timeout: 8_000 }).toBe(2);
    expect(await readBudget('192.0.2.4')).toBe(3);
    s.close();
    await expect.poll(divisor, { timeout: 8_000 }).toBe(1);
    expect(await readBudget('192.0.2.5')).toBe(6);
  });
});
