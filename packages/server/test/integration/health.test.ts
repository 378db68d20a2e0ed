import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { ERRORS, type Problem, ROUTES } from '@slotcast/protocol';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlotcast, type Slotcast } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { FORM_TYPES } from '../../src/http/openapi.js';
import type { Db } from '../../src/store/db.js';
import { openPostgres } from '../../src/store/postgres.js';
import { DB_KINDS, freshDb, type TestDb } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { api, buildWorld, slotAt } from '../support/world.js';

interface Operation {
  summary?: string;
  tags?: string[];
  operationId?: string;
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
}
interface OpenApiDoc {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: { Problem: { properties: { code: { enum: string[] } } } } };
}

/** Every method and path the server serves, read from Fastify's route tree (HEAD aside). */
function servedRoutes(tree: string): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/.exec(line.replace(/\u00a0/g, ' '));
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    stack.push(m[2]!);
    for (const method of (m[3] ?? '').split(', ').filter((x) => x && x !== 'HEAD'))
      out.push(`${method} ${stack.join('')}`);
  }
  return out;
}

describe.each(DB_KINDS)('health, readiness and API docs on %s', (kind) => {
  let server: TestServer;
  let doc: OpenApiDoc;

  beforeAll(async () => {
    server = await startTestServer(kind);
    doc = (await api<OpenApiDoc>(server, 'GET', '/openapi.json')).body;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers /healthz with 200', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with 200 once the database answers', async () => {
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', checks: { database: 'ok' } });
  });

  it('publishes an OpenAPI 3.1 document with every route the server serves under /api/v1', async () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: 'Slotcast API', version: '1' });
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const served = servedRoutes(server.slotcast.http.printRoutes({ commonPrefix: false })).filter(
      (r) => r.split(' ')[1]!.startsWith('/api/v1/') && r !== 'GET /api/v1/openapi.json',
    );
    expect(served.length).toBeGreaterThan(15);
    expect([...documented].sort()).toEqual([...served].sort());
  });

  it("serves exactly the protocol's ROUTES under /api/v1: a route declared without a handler is caught here", () => {
    const declared = Object.values(ROUTES).map((r) => `${r.method} /api/v1${r.path}`);
    const served = servedRoutes(server.slotcast.http.printRoutes({ commonPrefix: false })).filter(
      (r) => r.split(' ')[1]!.startsWith('/api/v1/') && r !== 'GET /api/v1/openapi.json',
    );
    expect([...served].sort()).toEqual([...declared].sort());
  });

  it('describes each operation: id, summary, tag, path parameters, JSON body, auth and idempotency', () => {
    const ids = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(op.operationId, where).toBeTruthy();
        expect(ids.has(op.operationId!), `${where}: duplicate operationId`).toBe(false);
        ids.add(op.operationId!);
        expect(op.summary, where).toBeTruthy();
        expect(op.tags?.length, where).toBe(1);
        for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
          expect(op.parameters?.find((p) => p.in === 'path' && p.name === name)?.required, `${where}: ${name}`).toBe(
            true,
          );
        }
        // JSON, except a route declared `form` (the one-click unsubscribe a mail provider posts).
        const isForm = Object.values(ROUTES).some(
          (r) => 'form' in r && r.form && `${r.method} /api/v1${r.path.replace(/:(\w+)/g, '{$1}')}` === where,
        );
        if (op.requestBody)
          expect(Object.keys(op.requestBody.content), where).toEqual(isForm ? [...FORM_TYPES] : ['application/json']);
        if (method === 'patch') expect(op.requestBody, where).toBeDefined();
        const success = Object.keys(op.responses).filter((s) => s.startsWith('2'));
        expect(success, where).toHaveLength(1);
        if (op.security) expect(op.responses['401'], where).toBeDefined();
        if (path.startsWith('/api/v1/bookings') && method === 'post') {
          expect(
            op.parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key'),
            where,
          ).toBe(true);
        }
      }
    }
  });

  it('documents every error response of every operation as application/problem+json', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const errors = Object.entries(op.responses).filter(([status]) => Number(status) >= 400);
        expect(errors.map(([s]) => s)).toEqual(expect.arrayContaining(['400', '401', '500', '503']));
        for (const [status, response] of errors) {
          expect(response.content, `${method} ${path} ${status}`).toEqual({
            'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
          });
        }
      }
    }
    expect([...doc.components.schemas.Problem.properties.code.enum].sort()).toEqual(Object.keys(ERRORS).sort());
  });

  it('serves the interactive docs at /docs as HTML, showing the same document', async () => {
    const page = await fetch(`${server.url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toMatch(/swagger/i);
    const json = await fetch(`${server.url}/docs/json`);
    expect(await json.json()).toEqual(doc);
  });
});

/** Forwards TCP to PostgreSQL until cut, so a test can take the database away from a running server. */
async function tcpProxy(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
  });
  const listen = (port: number) =>
    new Promise<number>((resolve) =>
      server.listen(port, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
    );
  const port = await listen(0);
  return {
    port,
    async cut() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
    async restore() {
      await listen(port);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.runIf(DB_KINDS.includes('postgres'))('when PostgreSQL becomes unreachable', () => {
  let testDb: TestDb;
  let proxy: Awaited<ReturnType<typeof tcpProxy>>;
  let db: Db;
  let slotcast: Slotcast;
  let server: TestServer;
  let url: string;
  let token: string;

  beforeAll(async () => {
    testDb = await freshDb('postgres');
    const direct = new URL(testDb.url!);
    proxy = await tcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const viaProxy = new URL(direct);
    viaProxy.port = String(proxy.port);
    db = await openPostgres(viaProxy.toString(), { poolSize: 4 });
    const config = loadConfig({
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
      DATA_DIR: '/tmp/slotcast-test',
      LOG_LEVEL: 'silent',
    });
    slotcast = await createSlotcast(config, pino({ level: 'silent' }), { db });
    url = (await slotcast.listen()).url;
    server = { slotcast, url, testDb, close: async () => {} };
    token = (await buildWorld(server)).alice.token;
  });
  afterAll(async () => {
    await slotcast?.close();
    await db?.close();
    await proxy?.close().catch(() => {});
    await testDb?.drop();
  });

  it('answers requests with 503 SERVICE_UNAVAILABLE and Retry-After, fails /readyz, keeps /healthz, and recovers', async () => {
    await proxy.cut();

    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('retry-after')).toBe('5');
    const body = (await ready.json()) as { status: string; checks: Record<string, string> };
    expect(body.status).toBe('not_ready');
    expect(body.checks.database).not.toBe('ok');

    const booking = { resourceId: randomUUID(), serviceId: randomUUID(), startAt: slotAt(3, 10) };
    for (const res of [
      await api<Problem>(server, 'GET', '/vendors'),
      await api<Problem>(server, 'POST', '/bookings', { token, body: booking }),
    ]) {
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.headers.get('retry-after')).toBe('5');
      expect((res.body as Problem).code).toBe('SERVICE_UNAVAILABLE');
    }
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    await proxy.restore();
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect((await api(server, 'GET', '/vendors')).status).toBe(200);
  });
});
