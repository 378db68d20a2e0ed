import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { api } from '../support/world.js';

describe('security headers', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite', { TRUST_PROXY: '127.0.0.1' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('sends a CSP with no inline script and no framing, nosniff and a Referrer-Policy on every response', async () => {
    for (const res of [await api(server, 'GET', '/vendors'), await api(server, 'GET', '/nowhere')]) {
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    }
  });

  it('keeps the API docs unframeable under their own policy', async () => {
    const res = await fetch(`${server.url}/docs/static/index.html`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('sends HSTS only over TLS (here: as the trusted proxy reports it)', async () => {
    expect((await api(server, 'GET', '/vendors')).headers.get('strict-transport-security')).toBeNull();
    const tls = await api(server, 'GET', '/vendors', { headers: { 'x-forwarded-proto': 'https' } });
    expect(tls.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
  });

  it('answers no other origin with CORS headers', async () => {
    const res = await api(server, 'GET', '/vendors', { headers: { origin: 'https://evil.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CORS with ALLOWED_ORIGINS', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite', { ALLOWED_ORIGINS: 'https://app.example' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('lets the listed origin call the API, and no other', async () => {
    const preflight = await fetch(`${server.url}/api/v1/bookings`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example');
    const other = await api(server, 'GET', '/vendors', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
