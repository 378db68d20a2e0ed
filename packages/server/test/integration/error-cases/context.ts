import type { Booking, ErrorCode, Problem } from '@slotcast/protocol';
import { expect } from 'vitest';
import type { TestServer } from '../../support/server.js';
import { type ApiResponse, api, type World } from '../../support/world.js';

// What every error case (input-cases.ts, access-cases.ts, rule-cases.ts) shares: the world it runs in, the call that
// records what it sent, and the requests cases are made of. errors.test.ts runs them on each database.

/** Codes that none of the cases provokes: a bug is not a contract; health.test.ts takes PostgreSQL away for the 503. */
export const NOT_PROVOKED_HERE: ErrorCode[] = ['INTERNAL', 'SERVICE_UNAVAILABLE'];

export interface OpenApiDoc {
  paths: Record<string, Record<string, { responses: Record<string, { 'x-problem-codes'?: string[] }> }>>;
}

/** The last request a case sent, to look up what OpenAPI documents for it. */
let lastRequest: { method: string; path: string } | null = null;
export const lastRequestSent = () => lastRequest;

export function call<T = Problem>(
  server: TestServer,
  method: string,
  path: string,
  opts: Parameters<typeof api>[3] = {},
) {
  lastRequest = { method, path: `/api/v1${path.split('?')[0]}` };
  return api<T>(server, method, path, opts);
}

/** The problem codes OpenAPI documents for the operation serving `method path`, or null for an unknown route. */
export function documentedCodes(doc: OpenApiDoc, method: string, path: string): Record<string, string[]> | null {
  for (const [template, ops] of Object.entries(doc.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`);
    const op = ops[method.toLowerCase()];
    if (!op || !pattern.test(path)) continue;
    return Object.fromEntries(Object.entries(op.responses).map(([status, r]) => [status, r['x-problem-codes'] ?? []]));
  }
  return null;
}

export interface Ctx {
  server: TestServer;
  doc: OpenApiDoc;
  w: World;
  nextSlot: () => string;
  /** A resource open 09:00–17:00 UTC every day, with a service offered on it alone. */
  dayRoom: { resourceId: string; serviceId: string };
  /**
   * Two resources open around the clock in a zone where the next hour stays within today's local date (a booking
   * may not cross local midnight), so a booking inside the cancellation cut-off can be made at any time of day.
   */
  soonRooms: { resourceIds: [string, string]; serviceId: string };
}

export interface ErrorCase {
  name: string;
  status: number;
  code: ErrorCode;
  /** VALIDATION_FAILED: the paths of `errors[]`, one per bad field. */
  fields?: string[];
  /** Runs before the write state is recorded; its result goes to `request`. */
  setup?: (ctx: Ctx) => Promise<unknown>;
  request: (ctx: Ctx, prepared: unknown) => Promise<ApiResponse<Problem>>;
  /** What the refusal itself deliberately writes (only reuse of a refresh token revokes its session). */
  writes?: Record<string, number>;
}

export const DAY = 86_400_000;
export const dayAt = (days: number, hour: number, minute = 0) => {
  const d = new Date(Date.now() + days * DAY);
  d.setUTCHours(hour, minute, 0, 0);
  return d.toISOString();
};
/** The first grid slot at least two minutes away: inside the world's 60-minute cancellation cut-off. */
export const soonSlot = () => new Date(Math.ceil((Date.now() + 120_000) / 1_800_000) * 1_800_000).toISOString();

export const soonBooking = async (ctx: Ctx, room: 0 | 1) => {
  const res = await call<Booking>(ctx.server, 'POST', '/bookings', {
    token: ctx.w.alice.token,
    body: { resourceId: ctx.soonRooms.resourceIds[room], serviceId: ctx.soonRooms.serviceId, startAt: soonSlot() },
  });
  expect(res.status).toBe(201);
  return res.body;
};

export const bookingBody = (ctx: Ctx, extra: Record<string, unknown> = {}) => ({
  resourceId: ctx.w.a.resource.id,
  serviceId: ctx.w.a.service.id,
  startAt: ctx.nextSlot(),
  ...extra,
});
export const postBooking = (ctx: Ctx, body: unknown, token = ctx.w.alice.token) =>
  call<Problem>(ctx.server, 'POST', '/bookings', { token, body });
export const aliceBooking = async (ctx: Ctx, startAt = ctx.nextSlot(), resourceId = ctx.w.a.resource.id) => {
  const res = await call<Booking>(ctx.server, 'POST', '/bookings', {
    token: ctx.w.alice.token,
    body: { resourceId, serviceId: ctx.w.a.service.id, startAt },
  });
  expect(res.status).toBe(201);
  return res.body;
};
export const transition = (
  ctx: Ctx,
  b: Booking,
  action: string,
  token: string,
  body: unknown = { version: b.version },
) => call<Problem>(ctx.server, 'POST', `/bookings/${b.id}/${action}`, { token, body });
