import type { HeatmapResponse, TrendsResponse, VendorInsightsResponse } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offsetLag } from '../../src/store/durable-consumers.js';
import { AnalyticsService } from '../../src/usecases/analytics.js';
import { ANALYTICS_WORKER, startAnalyticsWorker } from '../../src/workers/analytics-worker.js';
import { appendTimed, bookingEvent, type TimedEvent } from '../support/booking-events.js';
import { DB_KINDS } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { api, buildWorld, type World } from '../support/world.js';

// A generated history checked against an oracle that knows nothing of the SQL: local days and hours come from Intl,
// lead-time buckets from their documented bounds. It spans the autumn DST changes of both zones (Berlin 25 October
// 2026, New York 1 November 2026), with bookings placed on the repeated hour of each.

const ZONES = { a: 'Europe/Berlin', b: 'America/New_York' } as const;
const MIN = 60_000;
const DAY = 86_400_000;
const WEEKDAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

function local(iso: string, timeZone: string) {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(iso))
      .map((x) => [x.type, x.value]),
  );
  return { day: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour), weekday: WEEKDAY[p.weekday!]! };
}

/** mulberry32: the same history on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Metric = 'made' | 'held' | 'confirmed' | 'cancelled' | 'no_show';
interface Fact {
  vendor: 'a' | 'b';
  resourceId: string;
  metric: Metric;
  at: string;
}
interface History {
  events: TimedEvent[];
  facts: Fact[];
  confirms: { vendor: 'a' | 'b'; at: string; seconds: number }[];
  leads: { vendor: 'a' | 'b'; at: string; seconds: number }[];
}

function generate(w: World, n: number): History {
  const rnd = random(20261025);
  const h: History = { events: [], facts: [], confirms: [], leads: [] };
  const iso = (ms: number) => new Date(ms).toISOString();
  const base = Date.parse('2026-10-20T00:00:00Z');
  // The repeated local hour of each zone's DST end, 02:30 twice in Berlin and 01:30 twice in New York.
  const edges = {
    a: ['2026-10-25T00:30:00Z', '2026-10-25T01:30:00Z'],
    b: ['2026-11-01T05:30:00Z', '2026-11-01T06:30:00Z'],
  };
  for (let i = 0; i < n; i++) {
    const vendor = i % 2 ? 'b' : 'a';
    const v = w[vendor];
    const resourceId = rnd() < 0.6 ? v.resource.id : v.resource2.id;
    const ref = { vendorId: v.vendor.id, resourceId };
    const made =
      i % 20 < 4
        ? Date.parse(edges[vendor][Math.floor((i % 20) / 2)]!)
        : base + Math.floor((rnd() * 17 * DAY) / MIN) * MIN;
    const lead = i % 13 === 0 ? 0 : Math.floor((rnd() * 40 * DAY) / MIN) * MIN;
    const start = made + lead;
    const bookingId = `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`;
    const o = { bookingId, startAt: iso(start), createdAt: iso(made) };
    const push = (type: string, at: number, previousStatus: string | null) =>
      h.events.push(bookingEvent(ref, type, { ...o, at: iso(at), previousStatus }));
    const fact = (metric: Metric, at: number) => h.facts.push({ vendor, resourceId, metric, at: iso(at) });
    const auto = rnd() < 0.4;
    push(auto ? 'booking.confirmed' : 'booking.requested', made, null);
    fact('made', made);
    h.leads.push({ vendor, at: iso(made), seconds: lead / 1000 });
    let confirmed = auto;
    if (!auto) {
      const r = rnd();
      if (r < 0.6) {
        const at = made + Math.floor((rnd() * 2 * DAY) / 1000) * 1000;
        push('booking.confirmed', at, 'requested');
        fact('confirmed', at);
        h.confirms.push({ vendor, at: iso(at), seconds: (at - made) / 1000 });
        confirmed = true;
      } else if (r < 0.8) {
        push('booking.cancelled', made + 5 * MIN, 'requested');
        fact('cancelled', made + 5 * MIN);
      }
    }
    if (confirmed) {
      const r = rnd();
      if (r < 0.5) {
        push('booking.completed', start + 60 * MIN, 'checked_in');
        fact('held', start);
      } else if (r < 0.65) {
        push('booking.no_show', start + 30 * MIN, 'confirmed');
        fact('no_show', start);
      } else if (r < 0.8) {
        const at = made + Math.floor(rnd() * Math.max(MIN, lead));
        push('booking.cancelled', at, 'confirmed');
        fact('cancelled', at);
      }
    }
  }
  return h;
}

const median = (xs: number[]) => {
  if (!xs.length) return null;
  const s = [...xs].sort((x, y) => x - y);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const LEAD_BOUNDS_HOURS = [1, 24, 72, 168, 720];
const bucketOf = (seconds: number) => {
  const i = LEAD_BOUNDS_HOURS.findIndex((hours) => seconds < hours * 3600);
  return i < 0 ? LEAD_BOUNDS_HOURS.length : i;
};

describe.each(DB_KINDS)('analytics rollups of a generated history on %s', (kind) => {
  let server: TestServer;
  let w: World;
  let history: History;

  beforeAll(async () => {
    server = await startTestServer(kind, { WORKERS_ENABLED: 'false' });
    w = await buildWorld(server);
    for (const key of ['a', 'b'] as const) {
      await server.slotcast.db.query('UPDATE resources SET timezone = $2 WHERE vendor_id = $1', [
        w[key].vendor.id,
        ZONES[key],
      ]);
    }
    history = generate(w, 240);
    await appendTimed(server.slotcast.db, history.events);
  });
  afterAll(async () => {
    await server?.close();
  });

  const get = async <T>(path: string) => {
    const res = await api<T>(server, 'GET', path, { token: w.admin.token });
    expect(res.status).toBe(200);
    return res.body;
  };
  const inRange = (day: string, from: string, to: string) => day >= from && day <= to;

  it('backfills the history on first start and, after a crash before a commit, resumes without double counting', async () => {
    // The first worker backfills, crashes before committing its second batch, and is replaced: the replacement
    // must take up exactly where the last commit left off.
    const real = new AnalyticsService(server.slotcast.db);
    let calls = 0;
    const crashing = {
      fromEvents: async (...args: Parameters<AnalyticsService['fromEvents']>) => {
        calls++;
        await real.fromEvents(...args);
        if (calls > 1) throw new Error('crash before commit');
      },
    } as unknown as AnalyticsService;
    const first = await startAnalyticsWorker(server.slotcast.bus, crashing);
    await expect.poll(() => calls, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    await first.stop();
    expect(await offsetLag(server.slotcast.db, ANALYTICS_WORKER)).toBeGreaterThan(0);
    const second = await startAnalyticsWorker(server.slotcast.bus, real);
    await expect.poll(() => offsetLag(server.slotcast.db, ANALYTICS_WORKER), { timeout: 20_000 }).toBe(0);
    await second.stop();
  }, 60_000);

  it.each(['a', 'b'] as const)(
    'puts every booking made and held in its local weekday and hour (vendor %s)',
    async (key) => {
      for (const metric of ['made', 'held'] as const) {
        const expected = new Map<string, number>();
        for (const f of history.facts) {
          if (f.vendor !== key || f.metric !== metric) continue;
          const l = local(f.at, ZONES[key]);
          if (!inRange(l.day, '2026-10-01', '2026-12-31')) continue;
          expected.set(`${l.weekday}:${l.hour}`, (expected.get(`${l.weekday}:${l.hour}`) ?? 0) + 1);
        }
        const h = await get<HeatmapResponse>(
          `/analytics/heatmap?metric=${metric}&from=2026-10-01&to=2026-12-31&vendorId=${w[key].vendor.id}`,
        );
        const got = new Map(h.cells.filter((c) => c.count > 0).map((c) => [`${c.weekday}:${c.hour}`, c.count]));
        expect(got).toEqual(expected);
        expect(h.total).toBe([...expected.values()].reduce((s, x) => s + x, 0));
      }
      // The repeated hour holds the bookings of both its instants: Sunday 02:00 in Berlin, 01:00 in New York.
      const day = key === 'a' ? '2026-10-25' : '2026-11-01';
      const hour = key === 'a' ? 2 : 1;
      const h = await get<HeatmapResponse>(
        `/analytics/heatmap?metric=made&from=${day}&to=${day}&vendorId=${w[key].vendor.id}`,
      );
      const expected = history.facts.filter((f) => {
        const l = local(f.at, ZONES[key]);
        return f.vendor === key && f.metric === 'made' && l.day === day && l.hour === hour;
      }).length;
      expect(expected).toBeGreaterThanOrEqual(24);
      expect(h.cells.find((c) => c.weekday === 7 && c.hour === hour)!.count).toBe(expected);
    },
  );

  it.each(['a', 'b'] as const)(
    'gives the trends of 30 days against the 30 before, day by day (vendor %s)',
    async (key) => {
      const t = await get<TrendsResponse>(`/analytics/trends?days=30&to=2026-11-19&vendorId=${w[key].vendor.id}`);
      expect(t).toMatchObject({
        from: '2026-10-21',
        to: '2026-11-19',
        previousFrom: '2026-09-21',
        previousTo: '2026-10-20',
      });
      const field = {
        made: 'made',
        held: 'held',
        confirmed: 'confirmed',
        cancelled: 'cancelled',
        no_show: 'noShow',
      } as const;
      const days = new Map(
        t.days.map((d) => [d.day, { ...d, made: 0, held: 0, confirmed: 0, cancelled: 0, noShow: 0 }]),
      );
      const previous = { made: 0, held: 0, confirmed: 0, cancelled: 0, noShow: 0 };
      for (const f of history.facts) {
        if (f.vendor !== key) continue;
        const day = local(f.at, ZONES[key]).day;
        const d = days.get(day);
        if (d) d[field[f.metric]]++;
        else if (inRange(day, t.previousFrom, t.previousTo)) previous[field[f.metric]]++;
      }
      expect(t.days).toEqual([...days.values()]);
      const sum = (k: keyof typeof previous) => [...days.values()].reduce((s, d) => s + d[k], 0);
      const current = {
        made: sum('made'),
        held: sum('held'),
        confirmed: sum('confirmed'),
        cancelled: sum('cancelled'),
        noShow: sum('noShow'),
      };
      expect(t.current).toMatchObject(current);
      expect(t.previous).toMatchObject(previous);
      expect(t.current.cancellationRate).toBeCloseTo(current.cancelled / current.made, 10);
      expect(t.current.noShowRate).toBeCloseTo(current.noShow / (current.held + current.noShow), 10);
      const confirmSeconds = history.confirms
        .filter((c) => c.vendor === key && inRange(local(c.at, ZONES[key]).day, t.from, t.to))
        .map((c) => c.seconds);
      expect(t.current.medianConfirmSeconds).toBe(median(confirmSeconds));
    },
  );

  it.each(['a', 'b'] as const)('ranks the busiest resources and buckets the lead times (vendor %s)', async (key) => {
    const v = await get<VendorInsightsResponse>(
      `/analytics/vendor-insights?days=90&to=2026-12-31&vendorId=${w[key].vendor.id}`,
    );
    expect(v).toMatchObject({ vendorId: w[key].vendor.id, from: '2026-10-03', to: '2026-12-31' });
    const per = new Map<string, { made: number; held: number; cancelled: number; noShow: number }>();
    for (const f of history.facts) {
      if (f.vendor !== key || f.metric === 'confirmed' || !inRange(local(f.at, ZONES[key]).day, v.from, v.to)) continue;
      const r =
        per.get(f.resourceId) ??
        per.set(f.resourceId, { made: 0, held: 0, cancelled: 0, noShow: 0 }).get(f.resourceId)!;
      r[f.metric === 'no_show' ? 'noShow' : f.metric]++;
    }
    expect(new Map(v.resources.map(({ resourceId, name: _, ...c }) => [resourceId, c]))).toEqual(per);
    const held = v.resources.map((r) => r.held);
    expect(held).toEqual([...held].sort((x, y) => y - x));

    const leads = history.leads.filter((l) => l.vendor === key && inRange(local(l.at, ZONES[key]).day, v.from, v.to));
    const counts = Array.from({ length: 6 }, () => 0);
    for (const l of leads) counts[bucketOf(l.seconds)]!++;
    expect(v.leadTime.buckets.map((b) => b.count)).toEqual(counts);
    expect(v.leadTime.count).toBe(leads.length);
    expect(v.leadTime.meanHours).toBeCloseTo(leads.reduce((s, l) => s + l.seconds, 0) / leads.length / 3600, 6);
    const sorted = leads.map((l) => l.seconds).sort((x, y) => x - y);
    expect(v.leadTime.medianBucket).toBe(
      v.leadTime.buckets[bucketOf(sorted[Math.ceil(sorted.length / 2) - 1]!)]!.label,
    );
  });

  it('gives admins across vendors the sums of every vendor’s cells, days and lead times', async () => {
    const q = 'from=2026-10-01&to=2026-12-31';
    const [all, a, b] = await Promise.all(
      ['', `&vendorId=${w.a.vendor.id}`, `&vendorId=${w.b.vendor.id}`].map((v) =>
        get<HeatmapResponse>(`/analytics/heatmap?metric=made&${q}${v}`),
      ),
    );
    expect(all!.cells.map((c) => c.count)).toEqual(a!.cells.map((c, i) => c.count + b!.cells[i]!.count));
    expect(all!.total).toBe(history.facts.filter((f) => f.metric === 'made').length);
    const [tAll, tA, tB] = await Promise.all(
      ['', `&vendorId=${w.a.vendor.id}`, `&vendorId=${w.b.vendor.id}`].map((v) =>
        get<TrendsResponse>(`/analytics/trends?days=30&to=2026-11-19${v}`),
      ),
    );
    expect(tAll!.days.map((d) => d.made)).toEqual(tA!.days.map((d, i) => d.made + tB!.days[i]!.made));
    expect(tAll!.current.held).toBe(tA!.current.held + tB!.current.held);
    // Across vendors the median comes from the histogram: the lower bound of the bucket holding the middle one.
    const bucket = (x: number) => (x < 600 ? x : x < 3600 ? x - (x % 10) : x < 86_400 ? x - (x % 60) : x - (x % 600));
    const confirms = history.confirms
      .filter((c) => inRange(local(c.at, ZONES[c.vendor]).day, tAll!.from, tAll!.to))
      .map((c) => bucket(c.seconds))
      .sort((x, y) => x - y);
    expect(confirms.length).toBeGreaterThan(10);
    expect(tAll!.current.medianConfirmSeconds).toBe(confirms[Math.ceil(confirms.length / 2) - 1]);
    const [vAll, vA, vB] = await Promise.all(
      ['', `&vendorId=${w.a.vendor.id}`, `&vendorId=${w.b.vendor.id}`].map((v) =>
        get<VendorInsightsResponse>(`/analytics/vendor-insights?days=90&to=2026-12-31${v}`),
      ),
    );
    expect(vAll!.leadTime.buckets.map((x) => x.count)).toEqual(
      vA!.leadTime.buckets.map((x, i) => x.count + vB!.leadTime.buckets[i]!.count),
    );
    expect(vAll!.resources).toHaveLength(4);
    // Across vendors whole weeks come from the weekly rollup and the ends from the daily one: the same counts.
    const counts = (r: VendorInsightsResponse['resources']) =>
      new Map(r.map(({ resourceId, name: _, ...c }) => [resourceId, c]));
    for (const [days, to] of [
      [90, '2026-12-31'],
      [30, '2026-11-15'],
      [30, '2026-11-20'],
      [7, '2026-11-19'],
      [7, '2026-11-22'],
    ]) {
      const [all, a, b] = await Promise.all(
        ['', `&vendorId=${w.a.vendor.id}`, `&vendorId=${w.b.vendor.id}`].map((v) =>
          get<VendorInsightsResponse>(`/analytics/vendor-insights?days=${days}&to=${to}${v}`),
        ),
      );
      expect(counts(all!.resources), `${days} days to ${to}`).toEqual(counts([...a!.resources, ...b!.resources]));
    }
  });

  it('refuses another vendor’s insights to an owner with 403 problem+json, and engagement to anyone but admins', async () => {
    const other = await api(server, 'GET', `/analytics/vendor-insights?days=30&vendorId=${w.b.vendor.id}`, {
      token: w.a.owner.token,
    });
    expect(other.status).toBe(403);
    expect(other.headers.get('content-type')).toContain('application/problem+json');
    expect(other.body).toMatchObject({ code: 'FORBIDDEN' });
    const own = await api<VendorInsightsResponse>(server, 'GET', '/analytics/vendor-insights?days=90&to=2026-12-31', {
      token: w.a.owner.token,
    });
    expect(own.status).toBe(200);
    expect(own.body.vendorId).toBe(w.a.vendor.id);
    expect(own.body.resources.every((r) => [w.a.resource.id, w.a.resource2.id].includes(r.resourceId))).toBe(true);
    const engagement = await api(server, 'GET', '/analytics/engagement?days=7', { token: w.a.owner.token });
    expect(engagement.status).toBe(403);
    expect(engagement.body).toMatchObject({ code: 'FORBIDDEN' });
  });
});
