import type { EngagementResponse, SocketHeatmapResponse } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../support/databases.js';
import { ManualClock } from '../support/manual-clock.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { type Listener, listen } from '../support/sockets.js';
import { api, buildWorld, type Party, type World } from '../support/world.js';

const MIN = 60_000;

// Real sockets through the gateway on a fixed clock, Saturday 24 October 2026 22:00 UTC onwards: the night Berlin
// leaves summer time (03:00 CEST → 02:00 CET is 01:00 UTC), so Berlin's 02:00 hour happens twice.
describe.each(DB_KINDS)('engagement from socket activity on %s', (kind) => {
  let server: TestServer;
  let w: World;
  const clock = new ManualClock(Date.parse('2026-10-24T22:00:00Z'));

  beforeAll(async () => {
    server = await startTestServer(kind, { ANALYTICS_ACTIVITY_FLUSH_SECONDS: '60' }, undefined, { opsClock: clock });
    w = await buildWorld(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  const open = () => server.slotcast.gateway.io.of('/').sockets.size;
  const connect = async (p: Party) => {
    const before = open();
    const l = await listen(server, { token: p.token });
    await l.replayDone;
    expect(open()).toBe(before + 1);
    return l;
  };
  const close = async (...ls: Listener[]) => {
    const before = open();
    for (const l of ls) l.close();
    // The server must have seen the disconnects before the clock moves on.
    await expect.poll(open).toBe(before - ls.length);
  };

  it('counts active users by role, sessions (a reconnect within 30 minutes is the same one) and socket hours', async () => {
    clock.advance(10 * MIN); // 22:10
    let alice = await connect(w.alice);
    clock.advance(30 * MIN); // 22:40
    await close(alice);
    clock.advance(10 * MIN); // 22:50: back within the gap, the same session
    alice = await connect(w.alice);
    clock.advance(40 * MIN); // 23:30
    const bob = await connect(w.bob);
    clock.advance(60 * MIN); // Sunday 00:30
    await close(alice, bob);
    clock.advance(60 * MIN); // 01:30: an hour away, a new session
    alice = await connect(w.alice);
    const staff = await connect(w.a.staff);
    clock.advance(30 * MIN); // 02:00
    await close(alice, staff);
    await server.slotcast.socketActivity.flush();

    const e = await api<EngagementResponse>(server, 'GET', '/analytics/engagement?days=7&to=2026-10-25', {
      token: w.admin.token,
    });
    expect(e.status).toBe(200);
    expect(e.body).toMatchObject({ from: '2026-10-19', to: '2026-10-25' });
    expect(e.body.days.slice(-3)).toEqual([
      { day: '2026-10-23', active: { customer: 0, staff: 0, admin: 0 }, sessions: 0, connects: 0 },
      { day: '2026-10-24', active: { customer: 2, staff: 0, admin: 0 }, sessions: 2, connects: 3 },
      { day: '2026-10-25', active: { customer: 1, staff: 1, admin: 0 }, sessions: 2, connects: 2 },
    ]);
    expect(e.body.weekly).toEqual({ customer: 2, staff: 1, admin: 0 });
    expect(e.body.monthly).toEqual({ customer: 2, staff: 1, admin: 0 });
    // 4 sessions over 4 user-days (alice and bob on Saturday, alice and the staff member on Sunday).
    expect(e.body.sessionsPerUser).toBe(1);

    // UTC: Saturday 22 (alice 40 min), 23 (alice 60 + bob 30), Sunday 00 (30 + 30), 01 (alice 30 + staff 30).
    const utc = await api<SocketHeatmapResponse>(
      server,
      'GET',
      '/analytics/socket-heatmap?from=2026-10-24&to=2026-10-25',
      {
        token: w.admin.token,
      },
    );
    const busy = (h: SocketHeatmapResponse) =>
      h.cells
        .filter((c) => c.connects > 0 || c.meanOpenSockets > 0)
        .map((c) => [c.weekday, c.hour, c.connects, c.meanOpenSockets]);
    expect(busy(utc.body)).toEqual([
      [6, 22, 2, 0.67],
      [6, 23, 1, 1.5],
      [7, 0, 0, 1],
      [7, 1, 2, 1],
    ]);
    expect(utc.body.totalConnects).toBe(5);
    // Berlin: 22:00Z is Sunday 00:00 CEST, and both 00:00Z (02:00 CEST) and 01:00Z (02:00 CET) are 02:00.
    const berlin = await api<SocketHeatmapResponse>(
      server,
      'GET',
      '/analytics/socket-heatmap?from=2026-10-25&to=2026-10-25&timeZone=Europe/Berlin',
      { token: w.admin.token },
    );
    expect(busy(berlin.body)).toEqual([
      [7, 0, 2, 0.67],
      [7, 1, 1, 1.5],
      [7, 2, 2, 2],
    ]);
  });

  it('refuses engagement and the socket heatmap to a vendor’s owner, and a zone that is not one', async () => {
    const owner = await api(server, 'GET', '/analytics/socket-heatmap?from=2026-10-24&to=2026-10-25', {
      token: w.a.owner.token,
    });
    expect(owner.status).toBe(403);
    expect(owner.body).toMatchObject({ code: 'FORBIDDEN' });
    const zone = await api(
      server,
      'GET',
      '/analytics/socket-heatmap?from=2026-10-24&to=2026-10-25&timeZone=Mars/Base',
      {
        token: w.admin.token,
      },
    );
    expect(zone.status).toBe(400);
    expect(zone.body).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
