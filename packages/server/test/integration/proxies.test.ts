import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { connectError } from '../support/sockets.js';
import { api } from '../support/world.js';

// Who may name the client's address (TRUST_PROXY). Budgets are tiny so a few requests show which address counted.
const limits = {
  RATE_LIMITS_ENABLED: 'true',
  RATE_LIMIT_HTTP_READS: '2/60',
  RATE_LIMIT_SOCKET_HANDSHAKES: '1/60',
  RATE_LIMIT_TIGHTEN_DIVISOR: '1',
};
const from = (ip: string) => ({ 'x-forwarded-for': ip });
const read = (server: TestServer, ip: string) => api(server, 'GET', '/vendors', { headers: from(ip) });

describe('with no proxy trusted (the default)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite', limits);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('ignores X-Forwarded-For: a client cannot pick a fresh address to walk past a per-address limit', async () => {
    expect((await read(server, '203.0.113.1')).status).toBe(200);
    expect((await read(server, '203.0.113.2')).status).toBe(200);
    const third = await read(server, '203.0.113.3');
    expect(third.status).toBe(429);
    expect(third.body).toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('throttles socket handshakes by the connection’s address, whatever the header says', async () => {
    // No token: a handshake the throttle lets through ends in AUTH_REQUIRED, one it refuses in RATE_LIMITED.
    expect((await connectError(server, {}, { extraHeaders: from('198.51.100.1') })).data?.code).toBe('AUTH_REQUIRED');
    const refused = await connectError(server, {}, { extraHeaders: from('198.51.100.2') });
    expect(refused.data?.code).toBe('RATE_LIMITED');
  });
});

describe('behind a trusted proxy (TRUST_PROXY=127.0.0.1)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite', { ...limits, TRUST_PROXY: '127.0.0.1' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('counts each forwarded client on its own', async () => {
    expect((await read(server, '203.0.113.1')).status).toBe(200);
    expect((await read(server, '203.0.113.1')).status).toBe(200);
    expect((await read(server, '203.0.113.1')).status).toBe(429);
    expect((await read(server, '203.0.113.2')).status).toBe(200);
  });

  it('takes the address the trusted proxy saw, not one the client prepended', async () => {
    // The client sent "X-Forwarded-For: 192.0.2.9"; the proxy appended the address it saw.
    const spoofed = (ip: string) => api(server, 'GET', '/vendors', { headers: from(`192.0.2.9, ${ip}`) });
    expect((await spoofed('203.0.113.7')).status).toBe(200);
    expect((await spoofed('203.0.113.7')).status).toBe(200);
    expect((await spoofed('203.0.113.7')).status).toBe(429);
    expect((await spoofed('203.0.113.8')).status).toBe(200);
  });

  it('keys socket handshakes on the forwarded client too', async () => {
    const code = async (ip: string) => (await connectError(server, {}, { extraHeaders: from(ip) })).data?.code;
    expect(await code('198.51.100.1')).toBe('AUTH_REQUIRED');
    expect(await code('198.51.100.1')).toBe('RATE_LIMITED');
    expect(await code('198.51.100.2')).toBe('AUTH_REQUIRED');
  });
});
