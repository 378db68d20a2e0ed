import type { Problem, TokenPair } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { api } from '../support/world.js';

// Failed sign-ins across client addresses: the server trusts X-Forwarded-For from loopback, as behind a proxy.
const PASSWORD = 'a-long-enough-password';
let n = 0;
const freshEmail = (tag: string) => `${tag}-${++n}-${Date.now()}@throttle.test`;

async function register(server: TestServer, email: string) {
  const res = await api(server, 'POST', '/auth/register', { body: { email, password: PASSWORD, name: 'Owner' } });
  expect(res.status).toBe(201);
}
const login = (server: TestServer, email: string, from: string, password = PASSWORD) =>
  api<TokenPair & Problem & { retryAfterMs?: number }>(server, 'POST', '/auth/login', {
    headers: { 'x-forwarded-for': from },
    body: { email, password },
  });

describe('sign-in throttling', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite', { TRUST_PROXY: '127.0.0.1' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('lets the owner in from a clean address while an attacker rotating addresses hammers the account', async () => {
    const email = freshEmail('target');
    await register(server, email);
    // Past the account's budget (20): every attacker address now gets at most one guess before a long delay.
    for (let i = 1; i <= 40; i++) {
      const res = await login(server, email, `203.0.113.${i}`, 'not-the-password');
      expect([401, 429]).toContain(res.status);
    }
    const again = await login(server, email, '203.0.113.40', 'not-the-password');
    expect(again.status).toBe(429);
    expect(again.body.retryAfterMs).toBeGreaterThanOrEqual(3000);

    const owner = await login(server, email, '198.51.100.7');
    expect(owner.status).toBe(200);
    expect(owner.body.user.email).toBe(email);
  });

  it('does not refuse the right password from a clean address of a delayed account', async () => {
    const email = freshEmail('delayed');
    await register(server, email);
    for (let i = 0; i < 5; i++) await login(server, email, '203.0.113.200', 'not-the-password');
    expect((await login(server, email, '203.0.113.200')).status).toBe(429);
    expect((await login(server, email, '198.51.100.8')).status).toBe(200);
  });

  it('makes the delay for one address grow with each failure past the free ones', async () => {
    const email = freshEmail('growing');
    await register(server, email);
    const from = '203.0.113.201';
    for (let i = 0; i < 4; i++) expect((await login(server, email, from, 'not-the-password')).status).toBe(401);
    const first = await login(server, email, from, 'not-the-password');
    expect(first.status).toBe(429);
    // Wait out the first delay (about a second), fail once more: the next delay is longer.
    await expect
      .poll(async () => (await login(server, email, from, 'not-the-password')).status, {
        timeout: 10_000,
        interval: 250,
      })
      .toBe(401);
    const second = await login(server, email, from, 'not-the-password');
    expect(second.status).toBe(429);
    expect(second.body.retryAfterMs!).toBeGreaterThan(first.body.retryAfterMs!);
  });

  it('refuses an address that fails across many accounts (credential stuffing), not the accounts', async () => {
    const emails = Array.from({ length: 4 }, () => freshEmail('stuffed'));
    for (const email of emails) await register(server, email);
    // 100 failures from one address over any accounts (here unknown ones, three per address-account pair).
    for (let i = 0; i < 100; i++) {
      await login(server, `nobody-${i % 34}-${n}@throttle.test`, '203.0.113.250', 'not-the-password');
    }
    expect((await login(server, emails[0]!, '203.0.113.250')).status).toBe(429);
    expect((await login(server, emails[0]!, '198.51.100.9')).status).toBe(200);
  });
});

describe.skipIf(!process.env.TEST_REDIS_URL)('sign-in throttling across nodes (Redis)', () => {
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    const env = { TRUST_PROXY: '127.0.0.1', REDIS_URL: process.env.TEST_REDIS_URL! };
    a = await startTestServer('pglite', env);
    b = await startTestServer('pglite', env);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('delays on one node an address that failed on another', async () => {
    const email = freshEmail('shared');
    // Each node has its own database here; only the throttle is shared, which is what is under test.
    await register(a, email);
    await register(b, email);
    const from = '203.0.113.77';
    for (let i = 0; i < 5; i++) await login(a, email, from, 'not-the-password');
    expect((await login(b, email, from)).status).toBe(429);
    expect((await login(b, email, '198.51.100.10')).status).toBe(200);
  });
});
