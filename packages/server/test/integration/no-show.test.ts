import type { Booking, Problem } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { api, buildWorld, type World } from '../support/world.js';

const MINUTE = 60_000;

/** The first half hour of the world's 24/7, 30-minute grid at least `after` ms from now. */
const nextHalfHour = (after: number) => new Date(Math.ceil((Date.now() + after) / (30 * MINUTE)) * 30 * MINUTE);

describe.each(DB_KINDS)('marking a no-show on %s', (kind) => {
  let server: TestServer;
  let w: World;
  /** The server's clock runs this far ahead of the real one. */
  let ahead = 0;

  beforeAll(async () => {
    // Tokens outlive the clock's jump to the start (up to half an hour).
    server = await startTestServer(kind, { ACCESS_TOKEN_TTL_SECONDS: '86400' }, () => new Date(Date.now() + ahead));
    w = await buildWorld(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('refuses staff before the start with BOOKING_NOT_STARTED, changing nothing, and marks it from the start', async () => {
    const startAt = nextHalfHour(2 * MINUTE).toISOString();
    const made = await api<Booking>(server, 'POST', '/bookings', {
      token: w.alice.token,
      body: { resourceId: w.a.resource.id, serviceId: w.a.service.id, startAt },
    });
    expect(made.status).toBe(201);
    const confirmed = await api<Booking>(server, 'POST', `/bookings/${made.body.id}/confirm`, {
      token: w.a.staff.token,
      body: { version: made.body.version },
    });
    expect(confirmed.status).toBe(200);
    const b = confirmed.body;

    const early = await api<Problem>(server, 'POST', `/bookings/${b.id}/no-show`, {
      token: w.a.staff.token,
      body: { version: b.version },
    });
    expect(early.status).toBe(409);
    expect(early.headers.get('content-type')).toContain('application/problem+json');
    expect(early.body).toMatchObject({ code: 'BOOKING_NOT_STARTED', startAt });
    const still = await api<Booking>(server, 'GET', `/bookings/${b.id}`, { token: w.a.staff.token });
    expect(still.body).toMatchObject({ status: 'confirmed', version: b.version });

    // The clock at the start: from then on the customer is late, and may be marked as not having come.
    ahead = Date.parse(startAt) - Date.now();
    const marked = await api<Booking>(server, 'POST', `/bookings/${b.id}/no-show`, {
      token: w.a.staff.token,
      body: { version: b.version },
    });
    expect(marked.status).toBe(200);
    expect(marked.body).toMatchObject({ status: 'no_show', version: b.version + 1 });
  });
});
