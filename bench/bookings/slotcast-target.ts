import { randomUUID } from 'node:crypto';
import { API_PREFIX, type Booking, type Problem, type TokenPair } from '@slotcast/protocol';
import type { Outcome } from '../lib/closed-loop.js';
import type { JsonHttpClient } from '../lib/json-http.js';
import { BENCH_PASSWORD, type BenchWorld } from './fixtures.js';
import type { PlannedSlot } from './slot-plan.js';
import type { BookingRef, BookingTarget, CreateResult } from './target.js';

async function login(http: JsonHttpClient, email: string): Promise<string> {
  const res = await http.request('POST', `${API_PREFIX}/auth/login`, { email, password: BENCH_PASSWORD });
  if (res.status !== 200) throw new Error(`login ${email}: HTTP ${res.status}`);
  return (res.body as TokenPair).accessToken;
}

const codeOf = (body: unknown): string | undefined => (body as Partial<Problem> | null)?.code;

/** Bookings through a running Slotcast node's HTTP API: customers book, staff confirm, as a real client would. */
export async function slotcastTarget(
  http: JsonHttpClient,
  world: BenchWorld,
  opts: { idempotencyKeys: boolean; statements: () => number },
): Promise<BookingTarget> {
  const customerTokens: string[] = [];
  for (const c of world.customers) customerTokens.push(await login(http, c.email));
  const staffToken = await login(http, world.staff.email);

  const headers = (token: string): Record<string, string> => ({
    authorization: `Bearer ${token}`,
    ...(opts.idempotencyKeys ? { 'idempotency-key': randomUUID() } : {}),
  });

  return {
    label: 'Slotcast',
    async create(slot: PlannedSlot, customer: number): Promise<CreateResult> {
      const token = customerTokens[customer % customerTokens.length]!;
      const res = await http.request(
        'POST',
        `${API_PREFIX}/bookings`,
        { resourceId: slot.resourceId, serviceId: world.service.id, startAt: slot.startAt.toISOString() },
        headers(token),
      );
      if (res.status === 201) {
        const b = res.body as Booking;
        return { outcome: 'ok', ref: { id: b.id, version: b.version } };
      }
      if (res.status === 409 && codeOf(res.body) === 'BOOKING_SLOT_TAKEN') return { outcome: 'conflict' };
      throw new Error(`POST /bookings: HTTP ${res.status} ${codeOf(res.body) ?? ''}`.trim());
    },
    async confirm(ref: BookingRef): Promise<Outcome> {
      const res = await http.request(
        'POST',
        `${API_PREFIX}/bookings/${ref.id}/confirm`,
        { version: ref.version },
        headers(staffToken),
      );
      if (res.status === 200) return 'ok';
      if (res.status === 409 && codeOf(res.body) === 'BOOKING_VERSION_CONFLICT') return 'conflict';
      throw new Error(`POST /bookings/:id/confirm: HTTP ${res.status} ${codeOf(res.body) ?? ''}`.trim());
    },
    statements: opts.statements,
  };
}
