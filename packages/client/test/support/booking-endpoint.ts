import type { Booking } from '@slotcast/protocol';
import { type HttpTestServer, hangUp, json, type RecordedRequest } from './http-server.js';

const NEXT: Record<string, { from: Booking['status'][]; to: Booking['status'] }> = {
  confirm: { from: ['requested'], to: 'confirmed' },
  decline: { from: ['requested'], to: 'declined' },
  cancel: { from: ['requested', 'confirmed'], to: 'cancelled' },
  'check-in': { from: ['confirmed'], to: 'checked_in' },
  'no-show': { from: ['confirmed'], to: 'no_show' },
};

const problem = (status: number, code: string, extra: Record<string, unknown> = {}) => ({
  type: 'about:blank',
  title: code,
  status,
  code,
  ...extra,
});

/**
 * The booking-change endpoints as the server answers them, on the test HTTP server: versions checked (409
 * BOOKING_VERSION_CONFLICT with `current`), each Idempotency-Key applied once and its answer replayed. `applied` counts
 * real changes, so a test can tell one application from two. `loseNextAnswer` applies a request and hangs up.
 */
export class BookingEndpoint {
  readonly bookings = new Map<string, Booking>();
  readonly answers = new Map<string, { status: number; body: unknown }>();
  applied = 0;
  loseNextAnswer = false;
  /** Refusals to give instead of applying (status, code) to the next requests, in order. */
  readonly refuse: { status: number; code: string }[] = [];

  constructor(server: HttpTestServer) {
    server.fallback = (req, res) => {
      const answer = this.answer(req);
      if (this.loseNextAnswer) {
        this.loseNextAnswer = false;
        hangUp(req, res);
        return;
      }
      json(res, answer.status, answer.body);
    };
  }

  private answer(req: RecordedRequest): { status: number; body: unknown } {
    const key = String(req.headers['idempotency-key'] ?? '');
    const known = key ? this.answers.get(key) : undefined;
    if (known) return known;
    const answer = this.decide(req);
    // Like the server, only answers that settle the request are kept for the key; a 5xx may be retried.
    if (key && answer.status < 500) this.answers.set(key, answer);
    return answer;
  }

  private decide(req: RecordedRequest): { status: number; body: unknown } {
    const forced = this.refuse.shift();
    if (forced) return { status: forced.status, body: problem(forced.status, forced.code) };
    const m = /\/bookings\/([^/]+)\/([a-z-]+)$/.exec(req.url);
    const readM = /\/bookings\/([^/]+)$/.exec(req.url);
    if (req.method === 'GET' && readM) {
      const b = this.bookings.get(readM[1]!);
      return b ? { status: 200, body: b } : { status: 404, body: problem(404, 'NOT_FOUND') };
    }
    if (req.method === 'POST' && /\/notifications\/[^/]+\/read$/.test(req.url)) {
      this.applied++;
      return { status: 200, body: notification() };
    }
    if (!m || req.method !== 'POST') return { status: 404, body: problem(404, 'NOT_FOUND') };
    const [, id, action] = m;
    const b = this.bookings.get(id!);
    if (!b) return { status: 404, body: problem(404, 'NOT_FOUND') };
    const body = req.body as { version: number; startAt?: string };
    if (body.version !== b.version)
      return { status: 409, body: problem(409, 'BOOKING_VERSION_CONFLICT', { current: b }) };
    let next: Booking;
    if (action === 'reschedule') {
      next = { ...b, startAt: body.startAt!, version: b.version + 1 };
    } else {
      const rule = NEXT[action!];
      if (!rule?.from.includes(b.status)) {
        return { status: 409, body: problem(409, 'BOOKING_TRANSITION_NOT_ALLOWED') };
      }
      next = { ...b, status: rule.to, version: b.version + 1 };
    }
    this.bookings.set(next.id, next);
    this.applied++;
    return { status: 200, body: next };
  }
}

export function booking(id: string, patch: Partial<Booking> = {}): Booking {
  const at = '2030-01-01T10:00:00.000Z';
  return {
    id,
    vendorId: '22222222-2222-4222-8222-222222222222',
    resourceId: '33333333-3333-4333-8333-333333333333',
    serviceId: '44444444-4444-4444-8444-444444444444',
    customerId: '11111111-1111-4111-8111-111111111111',
    status: 'requested',
    startAt: at,
    endAt: '2030-01-01T11:00:00.000Z',
    timezone: 'UTC',
    version: 1,
    note: null,
    priceMinor: 5000,
    currency: 'EUR',
    statusReason: null,
    updatedBy: { userId: null, role: 'customer' },
    createdAt: at,
    updatedAt: at,
    ...patch,
  };
}

function notification() {
  return {
    id: '66666666-6666-4666-8666-666666666666',
    bookingId: null,
    sourceEventId: 1,
    category: 'confirmation',
    priority: 1,
    title: 't',
    body: 'b',
    createdAt: '2030-01-01T10:00:00.000Z',
    readAt: '2030-01-01T10:00:00.000Z',
  };
}
