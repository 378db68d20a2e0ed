import type { Slot } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { api, buildWorld, slotAt, type World } from '../support/world.js';

describe.each(DB_KINDS)('catalogue rows cached by a node on %s', (kind) => {
  let server: TestServer;
  let w: World;

  beforeAll(async () => {
    server = await startTestServer(kind);
    w = await buildWorld(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  const freeStarts = async (days: number) => {
    const day = slotAt(days, 0).slice(0, 10);
    const res = await api<{ slots: Slot[] }>(
      server,
      'GET',
      `/resources/${w.a.resource.id}/availability?serviceId=${w.a.service.id}&from=${day}&to=${day}`,
    );
    expect(res.status).toBe(200);
    return res.body.slots.length;
  };

  it('follows a change made elsewhere (another node, or SQL by hand) once the database announces it', async () => {
    // Read once, so the resource is cached.
    expect(await freeStarts(6)).toBe(47);
    // Another node (or an operator) closes the resource: no weekly hours at all.
    await server.slotcast.db.query(`UPDATE resources SET weekly_hours = '{}'::jsonb WHERE id = $1`, [w.a.resource.id]);
    await expect.poll(() => freeStarts(6), { timeout: 5_000 }).toBe(0);
  });

  it('follows a change made through this node at once', async () => {
    const allDay = [{ start: '00:00', end: '24:00' }];
    const hours = { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay };
    const res = await api(server, 'PATCH', `/resources/${w.a.resource.id}/hours`, {
      token: w.a.owner.token,
      body: { weeklyHours: hours },
    });
    expect(res.status).toBe(200);
    expect(await freeStarts(6)).toBe(47);
  });
});
