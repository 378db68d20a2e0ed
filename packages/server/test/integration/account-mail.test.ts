import type { AccountStatus, Problem, TokenPair } from '@slotcast/protocol';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { linkToken, startSmtpSink } from '../support/smtp-sink.js';
import { api, buildWorld, slotAt, type World } from '../support/world.js';

let n = 0;
const fresh = () => `${++n}-${Date.now()}@mail.test`;

describe.each(DB_KINDS)('account mails over SMTP on %s', (kind) => {
  let server: TestServer;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let world: World;
  beforeAll(async () => {
    smtp = await startSmtpSink();
    server = await startTestServer(kind, { SMTP_URL: smtp.smtpUrl, PUBLIC_URL: 'https://book.example.test' });
    world = await buildWorld(server, { autoConfirm: true });
  });
  afterAll(async () => {
    await server?.close();
    await smtp?.close();
  });

  const register = (email: string, password = 'a-long-enough-password') =>
    api<TokenPair>(server, 'POST', '/auth/register', { body: { email, password, name: 'Nina New' } });
  const bookAs = (token: string, day: number) =>
    api<Problem>(server, 'POST', '/bookings', {
      token,
      body: { resourceId: world.a.resource.id, serviceId: world.a.service.id, startAt: slotAt(day, 10) },
    });
  const mailTo = async (email: string, subject: string) => {
    await expect.poll(() => smtp.to(email).filter((m) => m.subject === subject).length, { timeout: 15_000 }).toBe(1);
    return smtp.to(email).find((m) => m.subject === subject)!;
  };

  it('mails a new customer a verification link (text and HTML); booking waits until it is followed', async () => {
    const email = fresh();
    const signedUp = await register(email);
    expect(signedUp.status).toBe(201);
    const token = signedUp.body.accessToken;
    const status = await api<AccountStatus>(server, 'GET', '/me/account', { token });
    expect(status.body).toEqual({ emailVerified: false });

    const refused = await bookAs(token, 3);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('EMAIL_NOT_VERIFIED');

    const mail = await mailTo(email, 'Confirm your email address');
    expect(mail.text).toContain('https://book.example.test/?verify=');
    expect(mail.html).toContain('https://book.example.test/?verify=');
    expect(mail.messageId).toMatch(/^<mailer:\d+@slotcast>$/);
    const verify = linkToken(mail, 'verify');

    expect((await api(server, 'POST', '/auth/verify-email', { body: { token: verify } })).status).toBe(200);
    expect((await api<AccountStatus>(server, 'GET', '/me/account', { token })).body).toEqual({ emailVerified: true });
    expect((await bookAs(token, 3)).status).toBe(201);
    // Single use.
    const again = await api<Problem>(server, 'POST', '/auth/verify-email', { body: { token: verify } });
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('AUTH_LINK_INVALID');
  });

  it('keeps seeded accounts verified: they book without a mail', async () => {
    expect((await bookAs(world.alice.token, 4)).status).toBe(201);
  });

  it('answers a reset request the same whether or not the account exists, and mails only the one that does', async () => {
    const email = fresh();
    await register(email);
    const known = await api(server, 'POST', '/auth/password-reset', { body: { email } });
    const unknown = await api(server, 'POST', '/auth/password-reset', { body: { email: fresh() } });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    await mailTo(email, 'Reset your password');
  });

  it('resets the password with the mailed link once, revokes every session and tells their open sockets why', async () => {
    const email = fresh();
    const first = await register(email, 'the-old-password-1');
    // A second session of the same user (another device), with a socket of its own.
    const second = await api<{ accessToken: string }>(server, 'POST', '/auth/login', {
      body: { email, password: 'the-old-password-1' },
    });
    expect(second.status).toBe(200);
    const socket = io(server.url, { auth: { token: first.body.accessToken }, transports: ['websocket'] });
    const other = io(server.url, { auth: { token: second.body.accessToken }, transports: ['websocket'] });
    const closing = new Promise<{ code: string; message: string }>((resolve) => socket.on('closing', resolve));
    const otherClosing = new Promise<{ code: string; message: string }>((resolve) => other.on('closing', resolve));
    // Both listened to at once: the second may connect while the first is awaited (its 'connect' would be missed).
    await Promise.all(
      [socket, other].map(
        (s) =>
          new Promise<void>((resolve, reject) => {
            if (s.connected) resolve();
            s.on('connect', () => resolve());
            s.on('connect_error', reject);
          }),
      ),
    );

    await api(server, 'POST', '/auth/password-reset', { body: { email } });
    const reset = linkToken(await mailTo(email, 'Reset your password'), 'reset');
    const done = await api(server, 'POST', '/auth/password-reset/confirm', {
      body: { token: reset, password: 'the-new-password-2' },
    });
    expect(done.status).toBe(204);

    expect(await closing).toMatchObject({ code: 'SESSION_REVOKED', message: expect.stringContaining('password') });
    expect(await otherClosing).toMatchObject({ code: 'SESSION_REVOKED', message: expect.stringContaining('password') });
    socket.close();
    other.close();
    const refreshed = await api<Problem>(server, 'POST', '/auth/refresh', {
      body: { refreshToken: first.body.refreshToken },
    });
    expect(refreshed.status).toBe(401);
    const oldPassword = await api(server, 'POST', '/auth/login', { body: { email, password: 'the-old-password-1' } });
    expect(oldPassword.status).toBe(401);
    const newPassword = await api(server, 'POST', '/auth/login', { body: { email, password: 'the-new-password-2' } });
    expect(newPassword.status).toBe(200);
    const reused = await api<Problem>(server, 'POST', '/auth/password-reset/confirm', {
      body: { token: reset, password: 'a-third-password-3' },
    });
    expect(reused.body.code).toBe('AUTH_LINK_INVALID');
  });

  it('never stores a link token in clear, and never replays account events to their owner', async () => {
    const email = fresh();
    const signedUp = await register(email);
    const token = linkToken(await mailTo(email, 'Confirm your email address'), 'verify');
    const stored = await server.slotcast.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM account_tokens WHERE token_hash = $1',
      [token],
    );
    expect(stored[0]!.n).toBe(0);
    // Replay from the start of the log: the owner's socket gets no account.* event (the log holds one for them).
    const socket = io(server.url, {
      auth: { token: signedUp.body.accessToken, lastEventId: 0 },
      transports: ['websocket'],
    });
    const seen: string[] = [];
    socket.on('events', (batch: { type: string }[]) => seen.push(...batch.map((e) => e.type)));
    await new Promise<void>((resolve, reject) => {
      socket.on('connect', () => resolve());
      socket.on('connect_error', reject);
    });
    // Sentinel: the customer's own booking arrives after anything replayed before it.
    await api(server, 'POST', '/auth/verify-email', { body: { token } });
    expect((await bookAs(signedUp.body.accessToken, 5)).status).toBe(201);
    await expect.poll(() => seen.some((t) => t.startsWith('booking.')), { timeout: 15_000 }).toBe(true);
    expect(seen.filter((t) => t.startsWith('account.'))).toEqual([]);
    socket.close();
  });
});
