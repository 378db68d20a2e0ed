import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

describe('the web app’s pages and unknown paths', () => {
  let server: TestServer;
  let dist: string;

  beforeAll(async () => {
    dist = mkdtempSync(path.join(tmpdir(), 'slotcast-web-'));
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Slotcast</title><div id="root"></div>');
    server = await startTestServer('pglite', { WEB_DIST: dist });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  const get = (p: string) => fetch(`${server.url}${p}`);

  it.each(['/', '/bookings', '/bookings/6f1c2e9a-0000-4000-8000-000000000001', '/vendors/abc', '/profile'])(
    'serves the app at %s with 200, so it survives a reload',
    async (p) => {
      const res = await get(p);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<div id="root">');
    },
  );

  it.each(['/nope', '/bookings/1/2/3', '/wp-login'])('answers the app’s not-found page with 404 at %s', async (p) => {
    const res = await get(p);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('<div id="root">');
  });

  it('keeps problem+json 404s for the API and missing assets', async () => {
    const api = await get('/api/v1/nope');
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
    expect((await get('/assets/gone.js')).status).toBe(404);
  });
});
