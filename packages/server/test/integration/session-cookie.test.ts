import type { Problem, Session, TokenPair } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { api } from '../support/world.js';

const PASSWORD = 'a-long-enough-password';
let n = 0;
const freshEmail = () => `cookie-${++n}-${Date.now()}@cookie.test`;
const BROWSER = { 'x-slotcast-session': 'cookie' };

/** The refresh cookie a response set: its value and attributes. */
function refreshCookie(headers: Headers): { value: string; attrs: string[] } | null {
  const set = headers.getSetCookie().find((c) => c.startsWith('slotcast_refresh='));
  if (!set) return null;
  const [pair, ...attrs] = set.split(';').map((s) => s.trim());
  return { value: pair!.slice('slotcast_refresh='.length), attrs };
}

describe('the refresh token in a cookie (browsers)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite');
  });
  afterAll(async () => {
    await server?.close();
  });

  const signUp = async () => {
    const res = await api<Session>(server, 'POST', '/auth/register', {
      headers: BROWSER,
      body: { email: freshEmail(), password: PASSWORD, name: 'Cookie' },
    });
    expect(res.status).toBe(201);
    return res;
  };

  it('sets it HttpOnly, Secure, SameSite=Strict, scoped to the auth routes, and keeps it out of the body', async () => {
    const res = await signUp();
    expect(res.body.refreshToken).toBeUndefined();
    expect(res.body.accessToken).toEqual(expect.any(String));
    const cookie = refreshCookie(res.headers)!;
    expect(cookie.value.length).toBeGreaterThan(20);
    expect(cookie.attrs).toEqual(
      expect.arrayContaining([
        'HttpOnly',
        'Secure',
        'SameSite=Strict',
        'Path=/api/v1/auth',
        expect.stringMatching(/^Max-Age=\d+$/),
      ]),
    );
  });

  it('refreshes from the cookie with the header, and rotates it', async () => {
    const first = refreshCookie((await signUp()).headers)!.value;
    const res = await api<Session>(server, 'POST', '/auth/refresh', {
      headers: { ...BROWSER, cookie: `slotcast_refresh=${first}` },
      body: {},
    });
    expect(res.status).toBe(200);
    expect(res.body.refreshToken).toBeUndefined();
    const second = refreshCookie(res.headers)!.value;
    expect(second).not.toBe(first);
    expect((await api(server, 'GET', '/me', { token: res.body.accessToken })).status).toBe(200);
  });

  it('refuses to read the cookie without the header (a cross-site form cannot set it): 403 AUTH_CSRF_REJECTED', async () => {
    const token = refreshCookie((await signUp()).headers)!.value;
    for (const path of ['/auth/refresh', '/auth/logout']) {
      const res = await api<Problem>(server, 'POST', path, {
        headers: { cookie: `slotcast_refresh=${token}` },
        body: {},
      });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('AUTH_CSRF_REJECTED');
    }
    // The session survived both attempts.
    const ok = await api(server, 'POST', '/auth/refresh', {
      headers: { ...BROWSER, cookie: `slotcast_refresh=${token}` },
      body: {},
    });
    expect(ok.status).toBe(200);
  });

  it('signs out: the session is revoked and the cookie cleared', async () => {
    const signedUp = await signUp();
    const token = refreshCookie(signedUp.headers)!.value;
    const out = await api(server, 'POST', '/auth/logout', {
      headers: { ...BROWSER, cookie: `slotcast_refresh=${token}` },
      body: {},
    });
    expect(out.status).toBe(204);
    const cleared = refreshCookie(out.headers)!;
    expect(cleared.value).toBe('');
    expect(cleared.attrs).toEqual(expect.arrayContaining(['Path=/api/v1/auth']));
    expect((await api(server, 'GET', '/me', { token: signedUp.body.accessToken })).status).toBe(401);
  });

  it('keeps the body-token flow for clients that do not ask for the cookie (Node SDK, load tests)', async () => {
    const res = await api<TokenPair>(server, 'POST', '/auth/register', {
      body: { email: freshEmail(), password: PASSWORD, name: 'Node' },
    });
    expect(res.status).toBe(201);
    expect(res.body.refreshToken).toEqual(expect.any(String));
    expect(refreshCookie(res.headers)).toBeNull();
    const next = await api<TokenPair>(server, 'POST', '/auth/refresh', {
      body: { refreshToken: res.body.refreshToken },
    });
    expect(next.status).toBe(200);
    expect(next.body.refreshToken).toEqual(expect.any(String));
  });
});
