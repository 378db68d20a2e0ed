import type { Problem, TokenPair, User } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../support/databases.js';
import { countRows } from '../support/rows.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { api } from '../support/world.js';

const PASSWORD = 'a-long-enough-password';
let n = 0;
const freshEmail = (tag: string) => `${tag}-${++n}-${Date.now()}@auth.test`;

describe.each(DB_KINDS)('authentication on %s', (kind) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => {
    await server?.close();
  });

  const register = (email: string, password = PASSWORD) =>
    api<TokenPair & Problem>(server, 'POST', '/auth/register', { body: { email, password, name: 'Tess' } });
  const login = (email: string, password = PASSWORD) =>
    api<TokenPair & Problem>(server, 'POST', '/auth/login', { body: { email, password } });
  const refresh = (refreshToken: string) =>
    api<TokenPair & Problem>(server, 'POST', '/auth/refresh', { body: { refreshToken } });
  const me = (token: string) => api<User & Problem>(server, 'GET', '/me', { token });
  /** Moves every used refresh token's use into the past, beyond the reuse grace period. */
  const pastGrace = () =>
    server.slotcast.db.query(
      "UPDATE refresh_tokens SET used_at = used_at - interval '1 hour' WHERE used_at IS NOT NULL",
    );

  it('registers a customer, signs them in and stores the password as an argon2id hash', async () => {
    const email = freshEmail('reg');
    const res = await register(email);
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ email, role: 'customer', vendorId: null, isOwner: false });
    expect(res.body.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(Date.parse(res.body.accessTokenExpiresAt)).toBeGreaterThan(Date.now());
    expect((await me(res.body.accessToken)).body).toMatchObject({ id: res.body.user.id, email });

    const [row] = await server.slotcast.db.query<{ password_hash: string }>(
      'SELECT password_hash FROM users WHERE email = $1',
      [email],
    );
    expect(row!.password_hash.startsWith('$argon2id$')).toBe(true);
    expect(row!.password_hash).not.toContain(PASSWORD);
  });

  it('refuses a second account for the same email, in any letter case, with 409 AUTH_EMAIL_TAKEN', async () => {
    const email = freshEmail('taken');
    expect((await register(email)).status).toBe(201);
    for (const again of [email, email.toUpperCase()]) {
      const res = await register(again, 'another-password');
      expect(res.status).toBe(409);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe('AUTH_EMAIL_TAKEN');
    }
    expect(await countRows(server, 'users', 'email = $1', [email])).toBe(1);
  });

  it('signs in with the right password and refuses a wrong one or an unknown email with 401 AUTH_INVALID_CREDENTIALS', async () => {
    const email = freshEmail('login');
    await register(email);
    const ok = await login(email.toUpperCase());
    expect(ok.status).toBe(200);
    expect(ok.body.user.email).toBe(email);
    expect((await me(ok.body.accessToken)).status).toBe(200);

    for (const [e, p] of [
      [email, 'wrong-password'],
      [freshEmail('nobody'), PASSWORD],
    ] as const) {
      const bad = await login(e, p);
      expect(bad.status).toBe(401);
      expect(bad.body.code).toBe('AUTH_INVALID_CREDENTIALS');
    }
  });

  it('rotates the refresh token: the new pair works and the old refresh token then fails', async () => {
    const first = (await register(freshEmail('rotate'))).body;
    const second = await refresh(first.refreshToken);
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    expect(second.body.user.id).toBe(first.user.id);
    expect((await me(second.body.accessToken)).status).toBe(200);

    const third = await refresh(second.body.refreshToken);
    expect(third.status).toBe(200);
    await pastGrace();
    const old = await refresh(first.refreshToken);
    expect(old.status).toBe(401);
  });

  it('accepts a just-rotated refresh token again within the grace period (a lost response) without revoking', async () => {
    const first = (await register(freshEmail('grace'))).body;
    const rotated = await refresh(first.refreshToken);
    expect(rotated.status).toBe(200);
    const retried = await refresh(first.refreshToken);
    expect(retried.status).toBe(200);
    expect(retried.body.refreshToken).not.toBe(rotated.body.refreshToken);
    // Both successors work and the session lives on.
    expect((await refresh(rotated.body.refreshToken)).status).toBe(200);
    expect((await refresh(retried.body.refreshToken)).status).toBe(200);
    expect((await me(retried.body.accessToken)).status).toBe(200);
  });

  it('treats reuse of a rotated refresh token as theft: 401 AUTH_REFRESH_REUSED and the whole session is revoked', async () => {
    const first = (await register(freshEmail('reuse'))).body;
    const rotated = (await refresh(first.refreshToken)).body;
    // Another session of the same user is not part of the stolen family and keeps working.
    const otherSession = (await login(first.user.email)).body;

    await pastGrace();
    const reused = await refresh(first.refreshToken);
    expect(reused.status).toBe(401);
    expect(reused.body.code).toBe('AUTH_REFRESH_REUSED');

    // Every token of the session is dead: both access tokens and the latest refresh token.
    for (const token of [first.accessToken, rotated.accessToken]) {
      const res = await me(token);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('AUTH_TOKEN_INVALID');
    }
    const latest = await refresh(rotated.refreshToken);
    expect(latest.status).toBe(401);
    expect(latest.body.code).toBe('AUTH_REFRESH_INVALID');

    expect((await me(otherSession.accessToken)).status).toBe(200);
  });

  it('rejects an unknown refresh token with 401 AUTH_REFRESH_INVALID', async () => {
    const res = await refresh('not-a-refresh-token-we-issued');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('AUTH_REFRESH_INVALID');
  });

  it('logs out: the session’s access token gets 401 AUTH_TOKEN_INVALID and its refresh token stops working', async () => {
    const pair = (await register(freshEmail('logout'))).body;
    const out = await api(server, 'POST', '/auth/logout', { body: { refreshToken: pair.refreshToken } });
    expect(out.status).toBe(204);
    const res = await me(pair.accessToken);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('AUTH_TOKEN_INVALID');
    const again = await refresh(pair.refreshToken);
    expect(again.status).toBe(401);
    expect(again.body.code).toBe('AUTH_REFRESH_INVALID');
  });

  // login-throttle.test.ts has the scenarios across addresses; these requests all come from one.
  it('delays tries from an address after repeated failures with 429 RATE_LIMITED and Retry-After, even with the right password', async () => {
    const email = freshEmail('limited');
    await register(email);
    // Three free failures; the fourth starts a delay.
    for (let i = 0; i < 4; i++) expect((await login(email, 'wrong-password')).status).toBe(401);
    for (const password of ['wrong-password', PASSWORD]) {
      const res = await login(email, password);
      expect(res.status).toBe(429);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe('RATE_LIMITED');
      const retryAfter = Number(res.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    }
    // Other accounts are not affected.
    const other = freshEmail('unaffected');
    await register(other);
    expect((await login(other)).status).toBe(200);
  });

  it('counts concurrent failed sign-ins too: of 20 at once from one address at most 4 are tried, the rest get 429', async () => {
    const email = freshEmail('burst');
    await register(email);
    const results = await Promise.all(Array.from({ length: 20 }, () => login(email, 'wrong-password')));
    const statuses = results.map((r) => r.status);
    // Three free failures, then the fourth starts a delay that refuses the rest.
    expect(statuses.filter((s) => s === 401)).toHaveLength(4);
    expect(statuses.filter((s) => s === 429)).toHaveLength(16);
  });

  it('lets 10 concurrent sign-ins with the right password for one account all succeed', async () => {
    const email = freshEmail('devices');
    await register(email);
    const results = await Promise.all(Array.from({ length: 10 }, () => login(email)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(new Set(results.map((r) => r.body.refreshToken)).size).toBe(10);
  });

  it('resets the failure count after a successful sign-in', async () => {
    const email = freshEmail('reset');
    await register(email);
    for (let i = 0; i < 3; i++) await login(email, 'wrong-password');
    expect((await login(email)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await login(email, 'wrong-password')).status).toBe(401);
    expect((await login(email)).status).toBe(200);
  });
});
