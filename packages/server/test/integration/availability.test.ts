import type { Booking, Slot } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { api, book, buildWorld, slotAt, type World } from '../support/world.js';

interface Availability {
  resourceId: string;
  serviceId: string;
  timezone: string;
  slots: Slot[];
}

const dateOf = (days: number) => slotAt(days, 0).slice(0, 10);

describe.each(DB_KINDS)('availability over HTTP on %s', (kind) => {
  let server: TestServer;
  let w: World;

  beforeAll(async () => {
    server = await startTestServer(kind);
    w = await buildWorld(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  /** Free starts on one day, asked anonymously (availability is public). */
  const freeStarts = async (days: number, serviceId = w.a.service.id) => {
    const day = dateOf(days);
    const res = await api<Availability>(
      server,
      'GET',
      `/resources/${w.a.resource.id}/availability?serviceId=${serviceId}&from=${day}&to=${day}`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ resourceId: w.a.resource.id, serviceId, timezone: 'UTC' });
    return res.body.slots.map((s) => s.startAt);
  };
  const change = (b: Booking, action: string, body: Record<string, unknown> = {}) =>
    api<Booking>(server, 'POST', `/bookings/${b.id}/${action}`, {
      token: w.admin.token,
      body: { version: b.version, ...body },
    });

  it('offers every slot of an empty day: 24 hours on a 30-minute grid for a 60-minute service', async () => {
    const starts = await freeStarts(5);
    expect(starts).toHaveLength(47);
    expect(starts[0]).toBe(slotAt(5, 0));
    expect(starts.at(-1)).toBe(slotAt(5, 23));
  });

  it('drops a booked slot, and the starts that would overlap it, from availability', async () => {
    const b = await book(server, w.alice, w.a, slotAt(6, 10));
    expect(b.status).toBe(201);
    const starts = await freeStarts(6);
    expect(starts).not.toContain(slotAt(6, 10));
    expect(starts).not.toContain(slotAt(6, 9, 30));
    expect(starts).not.toContain(slotAt(6, 10, 30));
    expect(starts).toContain(slotAt(6, 9));
    expect(starts).toContain(slotAt(6, 11));
    expect(starts).toHaveLength(47 - 3);
  });

  it('offers the slot again once the booking is cancelled', async () => {
    const b = (await book(server, w.alice, w.a, slotAt(7, 14))).body as Booking;
    expect(await freeStarts(7)).not.toContain(slotAt(7, 14));
    expect((await change(b, 'cancel')).status).toBe(200);
    expect(await freeStarts(7)).toContain(slotAt(7, 14));
    expect(await freeStarts(7)).toHaveLength(47);
  });

  it('offers the slot again once the request is declined', async () => {
    const b = (await book(server, w.alice, w.a, slotAt(8, 8))).body as Booking;
    expect((await change(b, 'decline')).status).toBe(200);
    expect(await freeStarts(8)).toContain(slotAt(8, 8));
  });

  it('moves the hole with a reschedule: the old slot is free, the new one taken', async () => {
    const b = (await book(server, w.alice, w.a, slotAt(9, 8))).body as Booking;
    expect((await change(b, 'reschedule', { startAt: slotAt(9, 16) })).status).toBe(200);
    const starts = await freeStarts(9);
    expect(starts).toContain(slotAt(9, 8));
    expect(starts).not.toContain(slotAt(9, 16));
  });

  it('moves a booking by half an hour onto part of its own old interval', async () => {
    const b = (await book(server, w.alice, w.a, slotAt(12, 10))).body as Booking;
    const moved = await change(b, 'reschedule', { startAt: slotAt(12, 10, 30) });
    expect(moved.status).toBe(200);
    const starts = await freeStarts(12);
    expect(starts).toContain(slotAt(12, 9));
    expect(starts).toContain(slotAt(12, 9, 30));
    expect(starts).not.toContain(slotAt(12, 10, 30));
    expect(starts).toContain(slotAt(12, 11, 30));
  });

  it('offers the times a booking can move to, its own included, to those who may see it (`moving`)', async () => {
    const b = (await book(server, w.alice, w.a, slotAt(13, 10))).body as Booking;
    const day = dateOf(13);
    const ask = (token?: string, moving = b.id) =>
      api<Availability>(
        server,
        'GET',
        `/resources/${w.a.resource.id}/availability?serviceId=${w.a.service.id}&from=${day}&to=${day}&moving=${moving}`,
        { token },
      );
    // Without it, the booking hides its own neighbours: it could not move by half an hour in either direction.
    expect(await freeStarts(13)).not.toContain(slotAt(13, 10, 30));
    for (const token of [w.alice.token, w.a.staff.token, w.admin.token]) {
      const res = await ask(token);
      expect(res.status).toBe(200);
      const starts = res.body.slots.map((s) => s.startAt);
      expect(starts).toContain(slotAt(13, 9, 30));
      expect(starts).toContain(slotAt(13, 10, 30));
      expect(starts).toHaveLength(47);
    }
    // Whoever may not see the booking learns nothing of it: as for reading it.
    for (const token of [undefined, w.bob.token, w.b.staff.token]) {
      const res = await ask(token);
      expect(res.status).toBe(404);
      expect((res.body as unknown as { code: string }).code).toBe('NOT_FOUND');
    }
    expect((await ask(w.alice.token, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    // And the move the list offered is taken.
    expect((await change(b, 'reschedule', { startAt: slotAt(13, 9, 30) })).status).toBe(200);
  });

  it('keeps a checked-in booking’s slot taken', async () => {
    let b = (await book(server, w.alice, w.a, slotAt(10, 12))).body as Booking;
    b = (await change(b, 'confirm')).body;
    b = (await change(b, 'check-in')).body;
    expect(b.status).toBe('checked_in');
    expect(await freeStarts(10)).not.toContain(slotAt(10, 12));
  });

  it('holds the buffers of a service around its bookings', async () => {
    const created = await api<{ id: string }>(server, 'POST', `/vendors/${w.a.vendor.id}/services`, {
      token: w.a.owner.token,
      body: {
        name: 'With cleanup',
        durationMinutes: 60,
        bufferAfterMinutes: 30,
        priceMinor: 100,
        currency: 'EUR',
        resourceIds: [w.a.resource.id],
      },
    });
    expect(created.status).toBe(201);
    const res = await api(server, 'POST', '/bookings', {
      token: w.alice.token,
      body: { resourceId: w.a.resource.id, serviceId: created.body.id, startAt: slotAt(11, 10) },
    });
    expect(res.status).toBe(201);
    // Held 10:00–11:30: a plain 60-minute session may start at 09:00 or 11:30, not 09:30 to 11:00.
    const starts = await freeStarts(11);
    expect(starts).toContain(slotAt(11, 9));
    expect(starts).toContain(slotAt(11, 11, 30));
    for (const [h, m] of [
      [9, 30],
      [10, 0],
      [10, 30],
      [11, 0],
    ] as const) {
      expect(starts).not.toContain(slotAt(11, h, m));
    }
  });

  it('offers no slot that starts in the past', async () => {
    const starts = await freeStarts(0);
    const now = Date.now();
    expect(starts.every((s) => Date.parse(s) >= now)).toBe(true);
  });
});
