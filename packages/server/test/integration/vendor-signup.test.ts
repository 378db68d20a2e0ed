import type { Problem, TokenPair } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { api } from '../support/world.js';

/** Rows of vendors and users, read straight from the database: nothing half-written is the point. */
const counts = async (server: TestServer) =>
  (
    await server.slotcast.db.query<{ v: number; u: number }>(
      'SELECT (SELECT count(*) FROM vendors)::int AS v, (SELECT count(*) FROM users)::int AS u',
    )
  )[0];
let n = 0;
const fresh = () => `${++n}-${Date.now()}`;

describe.each(DB_KINDS)('a vendor owner signing up on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => {
    await server?.close();
  });

  const signUp = (email: string, slug: string) =>
    api<TokenPair & Problem>(server, 'POST', '/auth/register-vendor', {
      body: { email, password: 'a-long-enough-password', name: 'Olga Owner', vendor: { name: 'Olga Nails', slug } },
    });

  it('creates the vendor and its owner together and signs the owner in', async () => {
    const id = fresh();
    const res = await signUp(`olga-${id}@signup.test`, `olga-${id}`);
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ role: 'staff', isOwner: true, vendorId: expect.any(String) });
    const vendor = await api<{ slug: string }>(server, 'GET', `/vendors/${res.body.user.vendorId}`);
    expect(vendor.body.slug).toBe(`olga-${id}`);
    // As owner they manage it: renaming the vendor is an owner's right.
    const patched = await api(server, 'PATCH', `/vendors/${res.body.user.vendorId}`, {
      token: res.body.accessToken,
      body: { name: 'Olga Nails & Spa' },
    });
    expect(patched.status).toBe(200);
  });

  it('creates neither when the slug is taken (400 on body.vendor.slug) or the email is (409)', async () => {
    const id = fresh();
    expect((await signUp(`first-${id}@signup.test`, `taken-${id}`)).status).toBe(201);
    const before = await counts(server);

    const slugTaken = await signUp(`second-${id}@signup.test`, `taken-${id}`);
    expect(slugTaken.status).toBe(400);
    expect(slugTaken.body.errors).toEqual([{ path: 'body.vendor.slug', message: 'already taken' }]);
    const emailTaken = await signUp(`first-${id}@signup.test`, `other-${id}`);
    expect(emailTaken.status).toBe(409);
    expect(emailTaken.body.code).toBe('AUTH_EMAIL_TAKEN');

    expect(await counts(server)).toEqual(before);
  });
});
