import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DB_KINDS } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { listen } from '../support/sockets.js';
import { buildWorld, type World } from '../support/world.js';

const readyz = async (url: string) => {
  const res = await fetch(`${url}/readyz`);
  return { status: res.status, body: (await res.json()) as { status: string; checks: Record<string, string> } };
};

describe.each(DB_KINDS)('readiness checks on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('runs every registered check, and fails /readyz with its message when one fails', async () => {
    let brokerUp = true;
    server.slotcast.addReadinessCheck({
      name: 'broker',
      check: async () => {
        if (!brokerUp) throw new Error('broker unreachable');
      },
    });
    expect(await readyz(server.url)).toEqual({
      status: 200,
      body: { status: 'ready', checks: { database: 'ok', broker: 'ok' } },
    });
    brokerUp = false;
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toEqual({
      status: 'not_ready',
      checks: { database: 'ok', broker: 'broker unreachable' },
    });
    // Liveness never depends on other services.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    brokerUp = true;
  });
});

describe.each(DB_KINDS)('graceful shutdown on %s', (kind) => {
  let server: TestServer;
  let w: World;
  beforeAll(async () => {
    server = await startTestServer(kind, { SHUTDOWN_DELAY_MS: '800' });
    w = await buildWorld(server);
  });
  afterAll(async () => {
    await server?.testDb.drop();
  });

  it('fails /readyz with "draining" first, then tells sockets server:draining and closing SERVER_DRAINING, then stops', async () => {
    const polling = await listen(server, { token: w.bob.token }, { transports: ['polling'], upgrade: false });
    const sockets = [await listen(server, { token: w.alice.token }), polling];
    const seen: string[] = [];
    for (const [i, s] of sockets.entries()) {
      s.socket.on('server:draining', () => seen.push(`${i}:server:draining`));
      s.socket.on('closing', () => seen.push(`${i}:closing`));
      s.socket.on('disconnect', () => seen.push(`${i}:disconnect`));
    }

    const closed = server.slotcast.close();
    const during = await readyz(server.url);
    expect(during).toEqual({
      status: 503,
      body: { status: 'not_ready', checks: { database: 'ok', server: 'draining' } },
    });
    // Load balancers see the failing probe while sockets are still served.
    expect(seen).toEqual([]);
    expect(sockets.every((s) => s.socket.connected)).toBe(true);

    for (const s of sockets) {
      expect(await s.first('server:draining')).toEqual({ reconnectInMs: expect.any(Number) });
      expect(await s.first('closing')).toEqual({ code: 'SERVER_DRAINING', message: expect.any(String) });
    }
    await closed;
    // A long-polling client learns of the close with its next poll, a moment after the server is gone.
    await Promise.all(
      sockets.map((s) => (s.socket.connected ? new Promise((r) => s.socket.once('disconnect', r)) : undefined)),
    );
    for (const i of [0, 1]) {
      expect(seen.filter((e) => e.startsWith(`${i}:`))).toEqual([
        `${i}:server:draining`,
        `${i}:closing`,
        `${i}:disconnect`,
      ]);
    }
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});

describe('SIGTERM to the server process (main.ts)', () => {
  let dir: string;
  let child: ChildProcess | null = null;
  const output: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'slotcast-main-'));
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('fails readiness with "draining" while it drains, logs the signal, and exits 0', async () => {
    const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
    child = spawn(process.execPath, ['--import', 'tsx', main], {
      env: {
        ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'DATABASE_URL')),
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: '0',
        DATA_DIR: dir,
        JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
        DEMO_DATA: 'false',
        LOG_LEVEL: 'info',
        SHUTDOWN_DELAY_MS: '1000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => output.push(...String(d).split('\n').filter(Boolean)));
    child.stderr!.on('data', (d) => output.push(String(d)));
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));

    const url = await vi.waitFor(
      () => {
        if (child!.exitCode !== null) throw new Error(`server exited: ${output.join('\n')}`);
        const line = output.find((l) => l.includes('Slotcast listening on'));
        if (!line) throw new Error('not listening yet');
        return (JSON.parse(line) as { url: string }).url;
      },
      { timeout: 55_000, interval: 50 },
    );
    expect((await readyz(url)).status).toBe(200);

    child.kill('SIGTERM');
    // During SHUTDOWN_DELAY_MS the node still answers, saying it is draining, so balancers stop sending to it.
    const draining = await vi.waitFor(
      async () => {
        const r = await readyz(url);
        expect(r.status).toBe(503);
        return r;
      },
      { timeout: 1_000, interval: 25 },
    );
    expect(draining.body.checks.server).toBe('draining');
    expect(await exited).toBe(0);
    const lines = output.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l.msg === 'shutting down')).toMatchObject({ signal: 'SIGTERM', node: expect.any(String) });
  });
});
