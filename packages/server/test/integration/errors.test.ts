import { ERRORS, type ErrorCode, problemType } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../support/databases.js';
import { writeState } from '../support/rows.js';
import { startTestServer } from '../support/server.js';
import { slotAllocator } from '../support/slots.js';
import { api, buildWorld } from '../support/world.js';
import { ACCESS_CASES } from './error-cases/access-cases.js';
import {
  type Ctx,
  call,
  documentedCodes,
  lastRequestSent,
  NOT_PROVOKED_HERE,
  type OpenApiDoc,
} from './error-cases/context.js';
import { INPUT_CASES } from './error-cases/input-cases.js';
import { RULE_CASES } from './error-cases/rule-cases.js';

/** Every refusal the API makes, each provoked on purpose (error-cases/), on each database. */
const CASES = [...INPUT_CASES, ...ACCESS_CASES, ...RULE_CASES];

describe.each(DB_KINDS)('error responses on %s', (kind) => {
  const ctx = {} as Ctx;

  beforeAll(async () => {
    ctx.server = await startTestServer(kind);
    ctx.w = await buildWorld(ctx.server);
    ctx.nextSlot = slotAllocator(2);
    const day = [{ start: '09:00', end: '17:00' }];
    const room = await call<{ id: string }>(ctx.server, 'POST', `/vendors/${ctx.w.a.vendor.id}/resources`, {
      token: ctx.w.a.owner.token,
      body: {
        name: 'Day room',
        timezone: 'UTC',
        weeklyHours: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day },
      },
    });
    const service = await call<{ id: string }>(ctx.server, 'POST', `/vendors/${ctx.w.a.vendor.id}/services`, {
      token: ctx.w.a.owner.token,
      body: { name: 'Day session', durationMinutes: 60, priceMinor: 100, currency: 'EUR', resourceIds: [room.body.id] },
    });
    expect([room.status, service.status]).toEqual([201, 201]);
    ctx.dayRoom = { resourceId: room.body.id, serviceId: service.body.id };
    // From 21:00 UTC on, UTC's day ends within the cut-off: use a zone twelve hours behind instead.
    const zone = new Date().getUTCHours() >= 21 ? 'Etc/GMT+12' : 'UTC';
    const allDay = [{ start: '00:00', end: '24:00' }];
    const soon = await Promise.all(
      ['Late room 1', 'Late room 2'].map((name) =>
        call<{ id: string }>(ctx.server, 'POST', `/vendors/${ctx.w.a.vendor.id}/resources`, {
          token: ctx.w.a.owner.token,
          body: {
            name,
            timezone: zone,
            weeklyHours: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
          },
        }),
      ),
    );
    const ids = soon.map((r) => r.body.id) as [string, string];
    const soonService = await call<{ id: string }>(ctx.server, 'POST', `/vendors/${ctx.w.a.vendor.id}/services`, {
      token: ctx.w.a.owner.token,
      body: { name: 'Late session', durationMinutes: 60, priceMinor: 100, currency: 'EUR', resourceIds: ids },
    });
    expect([...soon.map((r) => r.status), soonService.status]).toEqual([201, 201, 201]);
    ctx.soonRooms = { resourceIds: ids, serviceId: soonService.body.id };
    ctx.doc = (await api<OpenApiDoc>(ctx.server, 'GET', '/openapi.json')).body;
  });
  afterAll(async () => {
    await ctx.server?.close();
  });

  it('provokes every error code that some route documents', () => {
    const documented = new Set(
      Object.values(ctx.doc.paths).flatMap((ops) =>
        Object.values(ops).flatMap((op) => Object.values(op.responses).flatMap((r) => r['x-problem-codes'] ?? [])),
      ),
    );
    const provoked = new Set<string>(CASES.map((c) => c.code));
    const missing = [...documented].filter(
      (code) => !provoked.has(code) && !NOT_PROVOKED_HERE.includes(code as ErrorCode),
    );
    expect(missing).toEqual([]);
    expect(documented.size).toBeGreaterThan(20);
  });

  it.each(CASES)('answers $name with $status $code as problem+json and writes nothing', async (c) => {
    const prepared = c.setup ? await c.setup(ctx) : undefined;
    const before = await writeState(ctx.server);
    const res = await c.request(ctx, prepared);

    expect({ status: res.status, code: res.body?.code }).toEqual({ status: c.status, code: c.code });
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: problemType(c.code), title: ERRORS[c.code].title, status: c.status });
    if (c.code === 'VALIDATION_FAILED') {
      const errors = res.body.errors ?? [];
      expect(errors.length).toBeGreaterThan(0);
      for (const e of errors) expect(e).toEqual({ path: expect.any(String), message: expect.any(String) });
      if (c.fields) expect(errors.map((e) => e.path).sort()).toEqual(c.fields);
    }
    if (c.code === 'RATE_LIMITED') expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    // The route documents this answer in OpenAPI (only a request no route serves has no route to document it).
    const documented = documentedCodes(ctx.doc, lastRequestSent()!.method, lastRequestSent()!.path);
    if (documented) expect(documented[String(c.status)] ?? []).toContain(c.code);
    else expect(c.code).toBe('NOT_FOUND');

    const after = await writeState(ctx.server);
    const expected = { ...before };
    for (const [k, n] of Object.entries(c.writes ?? {})) expected[k] = (expected[k] ?? 0) + n;
    expect(after).toEqual(expected);
  });
});
