import type { HeatmapResponse, TrendsResponse } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offsetLag } from '../../src/store/durable-consumers.js';
import { AnalyticsService } from '../../src/usecases/analytics.js';
import { ANALYTICS_WORKER, startAnalyticsWorker } from '../../src/workers/analytics-worker.js';
import { appendTimed, type TimedEvent, bookingEvent as timedEvent } from '../support/booking-events.js';
import { DB_KINDS } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { api, buildWorld, type VendorWorld, type World } from '../support/world.js';

const bookingEvent = (v: VendorWorld, type: string, o: Parameters<typeof timedEvent>[2]) =>
  timedEvent({ vendorId: v.vendor.id, resourceId: v.resource.id }, type, o);

describe.each(DB_KINDS)('analytics rollups on %s', (kind) => {
  let server: TestServer;
  let w: World;
  const analytics = () => new AnalyticsService(server.slotcast.db);

  beforeAll(async () => {
    // The test runs the worker itself, so it decides when it crashes and comes back.
    server = await startTestServer(kind, { WORKERS_ENABLED: 'false' });
    w = await buildWorld(server);
    await server.slotcast.db.query('UPDATE resources SET timezone = $2 WHERE id = $1', [
      w.a.resource.id,
      'Europe/Berlin',
    ]);
    await server.slotcast.db.query('UPDATE resources SET timezone = $2 WHERE id = $1', [
      w.b.resource.id,
      'America/New_York',
    ]);
  });
  afterAll(async () => {
    await server?.close();
  });

  const append = (events: TimedEvent[]) => appendTimed(server.slotcast.db, events);
  const caughtUp = () =>
    expect.poll(() => offsetLag(server.slotcast.db, ANALYTICS_WORKER), { timeout: 15_000 }).toBe(0);
  const heatmap = async (token: string, qs: string) =>
    api<HeatmapResponse>(server, 'GET', `/analytics/heatmap?${qs}`, { token });
  const cell = (h: HeatmapResponse, weekday: number, hour: number) =>
    h.cells.find((c) => c.weekday === weekday && c.hour === hour)!.count;

  it('backfills from the log on first start, puts each count in its vendor’s local hour across DST, and resumes after a crash without double counting', async () => {
    const { bus, db } = server.slotcast;
    // History before the worker ever ran: the backfill must find it.
    await append([
      // Berlin, Sunday 29 March 2026: clocks go 02:00 → 03:00. 00:30Z is 01:30 CET, 01:30Z is 03:30 CEST.
      bookingEvent(w.a, 'booking.requested', { at: '2026-03-29T00:30:00Z', previousStatus: null }),
      bookingEvent(w.a, 'booking.requested', { at: '2026-03-29T01:30:00Z', previousStatus: null }),
      // New York, Sunday 8 March 2026: 06:30Z is 01:30 EST, 07:30Z is 03:30 EDT.
      bookingEvent(w.b, 'booking.requested', { at: '2026-03-08T06:30:00Z', previousStatus: null }),
      bookingEvent(w.b, 'booking.requested', { at: '2026-03-08T07:30:00Z', previousStatus: null }),
      // Sunday 03:00 UTC is Saturday 22:00 in New York: the local day, not the UTC one.
      bookingEvent(w.b, 'booking.requested', { at: '2026-03-01T03:00:00Z', previousStatus: null }),
    ]);

    // A worker that crashes before its commit on the second batch it sees.
    const real = analytics();
    let calls = 0;
    const crashing = {
      fromEvents: async (
        tx: Parameters<AnalyticsService['fromEvents']>[0],
        events: Parameters<AnalyticsService['fromEvents']>[1],
      ) => {
        calls++;
        await real.fromEvents(tx, events);
        if (calls > 1) throw new Error('crash before commit');
      },
    } as unknown as AnalyticsService;
    const first = await startAnalyticsWorker(bus, crashing);
    await caughtUp();
    expect(calls).toBe(1);

    await append([
      // Held appointments count at the hour booked for, in the zone of the resource.
      bookingEvent(w.a, 'booking.completed', { at: '2026-03-30T12:00:00Z', startAt: '2026-03-30T08:00:00Z' }),
      bookingEvent(w.a, 'booking.confirmed', {
        at: '2026-03-30T10:10:00Z',
        createdAt: '2026-03-30T10:00:00Z',
        previousStatus: 'requested',
      }),
      bookingEvent(w.a, 'booking.cancelled', { at: '2026-03-30T11:00:00Z' }),
      bookingEvent(w.a, 'booking.no_show', { at: '2026-03-31T09:00:00Z', startAt: '2026-03-31T07:00:00Z' }),
    ]);
    await expect.poll(() => calls, { timeout: 15_000 }).toBeGreaterThan(1);
    await first.stop();
    expect(await offsetLag(db, ANALYTICS_WORKER)).toBe(4);

    const second = await startAnalyticsWorker(bus, analytics());
    await caughtUp();
    await second.stop();

    const made = (await heatmap(w.admin.token, 'metric=made&from=2026-02-01&to=2026-04-30')).body;
    expect(made.total).toBe(5);
    expect(made.cells).toHaveLength(168);
    expect(made.cells.filter((c) => c.count > 0).map((c) => [c.weekday, c.hour, c.count])).toEqual([
      [6, 22, 1],
      [7, 1, 2],
      [7, 3, 2],
    ]);
    const berlin = (await heatmap(w.admin.token, `metric=made&from=2026-02-01&to=2026-04-30&vendorId=${w.a.vendor.id}`))
      .body;
    expect([cell(berlin, 7, 1), cell(berlin, 7, 2), cell(berlin, 7, 3)]).toEqual([1, 0, 1]);
    const held = (await heatmap(w.admin.token, 'metric=held&from=2026-03-30&to=2026-03-30')).body;
    // 08:00Z on Monday 30 March is 10:00 CEST.
    expect(held.cells.filter((c) => c.count > 0)).toEqual([{ weekday: 1, hour: 10, count: 1 }]);

    const trends = (
      await api<TrendsResponse>(server, 'GET', `/analytics/trends?days=7&to=2026-04-04&vendorId=${w.a.vendor.id}`, {
        token: w.admin.token,
      })
    ).body;
    expect(trends).toMatchObject({ from: '2026-03-29', to: '2026-04-04', previousFrom: '2026-03-22' });
    expect(trends.days).toHaveLength(7);
    expect(trends.days[0]).toEqual({ day: '2026-03-29', made: 2, held: 0, confirmed: 0, cancelled: 0, noShow: 0 });
    expect(trends.current).toEqual({
      made: 2,
      held: 1,
      confirmed: 1,
      cancelled: 1,
      noShow: 1,
      cancellationRate: 0.5,
      noShowRate: 0.5,
      medianConfirmSeconds: 600,
    });
    expect(trends.previous).toMatchObject({ made: 0, cancellationRate: null, medianConfirmSeconds: null });
  });

  it('shows a vendor’s owner their own figures only, and no figures to other staff or customers', async () => {
    const q = 'metric=made&from=2026-02-01&to=2026-04-30';
    const own = await heatmap(w.a.owner.token, q);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ vendorId: w.a.vendor.id, total: 2 });
    const other = await heatmap(w.a.owner.token, `${q}&vendorId=${w.b.vendor.id}`);
    expect(other.status).toBe(403);
    expect((other.body as unknown as { code: string }).code).toBe('FORBIDDEN');
    expect((await heatmap(w.a.staff.token, q)).status).toBe(403);
    expect((await heatmap(w.alice.token, q)).status).toBe(403);
    const trends = await api(server, 'GET', `/analytics/trends?days=30&vendorId=${w.b.vendor.id}`, {
      token: w.a.owner.token,
    });
    expect(trends.status).toBe(403);
  });

  it('refuses a range over a year and a malformed query with 400 VALIDATION_FAILED', async () => {
    const long = await heatmap(w.admin.token, 'metric=made&from=2024-01-01&to=2026-01-01');
    expect(long.status).toBe(400);
    expect((await heatmap(w.admin.token, 'metric=sold&from=2026-01-01&to=2026-01-02')).status).toBe(400);
  });
});
