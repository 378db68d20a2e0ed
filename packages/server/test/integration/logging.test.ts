import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { TokenPair } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { DB_KINDS } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { connectError, listen } from '../support/sockets.js';
import { api, book, buildWorld, PASSWORD, slotAt, type World } from '../support/world.js';

interface Line {
  level: number;
  msg: string;
  reqId?: string;
  userId?: string;
  socketId?: string;
  [k: string]: unknown;
}

/** A pino destination that keeps every line a real server writes. */
function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { stream, lines, parsed: () => lines.map((l) => JSON.parse(l) as Line) };
}

describe.each(DB_KINDS)('logs of a real server on %s', (kind) => {
  const out = capture();
  let server: TestServer;
  let w: World;
  let registered: TokenPair;
  const email = `carol.${kind}@example.test`;
  const newPassword = 'another-secret-passphrase';

  beforeAll(async () => {
    // The most verbose level: secrets must stay out of every line, whatever the level.
    const logger = await createLogger({ level: 'trace', destination: out.stream });
    server = await startTestServer(kind, {}, undefined, { logger });
    w = await buildWorld(server);
    registered = (
      await api<TokenPair>(server, 'POST', '/auth/register', {
        body: { email, password: newPassword, name: 'Carol' },
      })
    ).body;
    await api(server, 'POST', '/auth/login', { body: { email: 'alice@test.test', password: 'wrong-password-123' } });
    const refreshed = await api<TokenPair>(server, 'POST', '/auth/refresh', {
      body: { refreshToken: w.bob.refreshToken },
    });
    w.bob.token = refreshed.body.accessToken;
    await api(server, 'GET', '/me', { token: w.alice.token, headers: { 'x-request-id': 'req-from-the-edge' } });
    const s = await listen(server, { token: w.alice.token });
    await new Promise((resolve) => s.socket.emit('auth:refresh', { token: w.alice.token }, resolve));
    s.close();
    await connectError(server, { token: `${w.alice.token.slice(0, -4)}AAAA` });
    await api(server, 'POST', '/auth/logout', { body: { refreshToken: registered.refreshToken } });
    server.slotcast.logger.info(
      {
        user: { email, password: newPassword },
        body: { refreshToken: w.alice.refreshToken, accessToken: w.alice.token },
        req: { headers: { authorization: `Bearer ${w.alice.token}` } },
        handshake: { auth: { token: w.alice.token } },
        nested: { deeper: { token: w.alice.token, email } },
      },
      'a careless log call',
    );
    await vi.waitFor(() => expect(out.parsed().some((l) => l.msg === 'socket disconnected')).toBe(true), {
      timeout: 10_000,
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('writes one JSON object per line', () => {
    expect(out.lines.length).toBeGreaterThan(20);
    for (const l of out.parsed()) expect(l).toMatchObject({ level: expect.any(Number), msg: expect.any(String) });
  });

  it('never writes passwords, access or refresh tokens, Authorization headers or email addresses', () => {
    const text = out.lines.join('\n');
    const secrets = [
      PASSWORD,
      newPassword,
      email,
      registered.accessToken,
      registered.refreshToken,
      ...[w.alice, w.bob, w.admin, w.a.staff, w.a.owner].flatMap((p) => [p.token, p.refreshToken, p.user.email]),
    ];
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/Bearer ey/);
    expect(text).not.toMatch(/@(test\.test|example\.test|vendor-a\.test)/);
    const careless = out.parsed().find((l) => l.msg === 'a careless log call')!;
    expect(careless).toMatchObject({
      user: { email: '[redacted]', password: '[redacted]' },
      body: { refreshToken: '[redacted]', accessToken: '[redacted]' },
      req: { headers: { authorization: '[redacted]' } },
      handshake: { auth: '[redacted]' },
      nested: { deeper: { token: '[redacted]', email: '[redacted]' } },
    });
  });

  it('names the request id on every request line, and the user on an authenticated request’s completion', async () => {
    const me = out.parsed().filter((l) => l.reqId === 'req-from-the-edge');
    expect(me.map((l) => l.msg)).toEqual(['incoming request', 'request completed']);
    expect(me[1]).toMatchObject({ userId: w.alice.user.id, res: { statusCode: 200 } });
    const res = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'echo-me' } });
    expect(res.headers.get('x-request-id')).toBe('echo-me');
    expect((await fetch(`${server.url}/healthz`)).headers.get('x-request-id')).toMatch(/^req-/);
  });

  it('logs the socket lifecycle at info: connect, join, auth failure, disconnect with reason', () => {
    const info = out.parsed().filter((l) => l.level === 30);
    const connected = info.find((l) => l.msg === 'socket connected' && l.userId === w.alice.user.id)!;
    expect(connected).toMatchObject({ socketId: expect.any(String), transport: 'websocket', role: 'customer' });
    const socketId = connected.socketId;
    expect(info.find((l) => l.msg === 'socket joined its rooms' && l.socketId === socketId)).toMatchObject({
      userId: w.alice.user.id,
      rooms: expect.any(Number),
    });
    expect(info.find((l) => l.msg === 'socket disconnected' && l.socketId === socketId)).toMatchObject({
      userId: w.alice.user.id,
      reason: 'client namespace disconnect',
    });
    expect(info.find((l) => l.msg === 'socket auth failed')).toMatchObject({ code: 'AUTH_TOKEN_INVALID' });
  });

  it('logs nothing above debug per delivered event', async () => {
    const a = await listen(server, { token: w.alice.token });
    const staff = await listen(server, { token: w.a.staff.token });
    const before = out.lines.length;
    for (let i = 0; i < 5; i++) expect((await book(server, w.alice, w.a, slotAt(7, 8 + 2 * i))).status).toBe(201);
    await a.waitFor(5);
    await staff.waitFor(5);
    const during = out.parsed().slice(before);
    // Outside request lines (which are per request, not per recipient), nothing at info or above.
    expect(during.filter((l) => l.level >= 30 && !l.reqId)).toEqual([]);
    const emitted = during.filter((l) => l.msg === 'events emitted');
    expect(emitted.length).toBeGreaterThan(0);
    for (const l of emitted) expect(l).toMatchObject({ level: 20, eventId: expect.any(Number) });
    a.close();
    staff.close();
  });
});

describe('LOG_FILE', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'slotcast-logs-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('rolls files by size, keeps only the newest LOG_FILE_KEEP besides the current, and redacts there too', async () => {
    const logger = await createLogger({
      level: 'info',
      file: { path: path.join(dir, 'slotcast.log'), size: '1k', frequency: 'daily', keep: 2 },
    });
    for (let i = 0; i < 60; i++) {
      logger.info({ i, pad: 'x'.repeat(80), password: 'hunter2-hunter2' }, 'line');
      // Let the stream write and roll between lines, as a server's lines are spread in time.
      await new Promise((r) => setTimeout(r, 2));
    }
    logger.flush();
    const number = (f: string) => Number(/\.(\d+)\.log$/.exec(f)?.[1]);
    const read = async () => {
      const files = (await readdir(dir)).filter((f) => f.startsWith('slotcast.')).sort((x, y) => number(x) - number(y));
      const lines = (await Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8'))))
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Line);
      return { files, lines };
    };
    // The stream writes, rolls and prunes asynchronously: wait for the last line to land and old files to go.
    await expect
      .poll(async () => {
        const { files, lines } = await read();
        return { last: lines.at(-1)?.i, atMostThreeFiles: files.length <= 3 };
      })
      .toEqual({ last: 59, atMostThreeFiles: true });
    const { files, lines } = await read();
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) expect(f).toMatch(/^slotcast\.\d{4}-\d{2}-\d{2}\.\d+\.log$/);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThan(60);
    expect(lines.at(-1)).toMatchObject({ i: 59, password: '[redacted]', service: 'slotcast' });
  });
});
