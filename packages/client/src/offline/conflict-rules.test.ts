import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import type { Booking } from '@slotcast/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BookingEndpoint, booking } from '../../test/support/booking-endpoint.js';
import { tokenPair } from '../../test/support/fixtures.js';
import { type HttpTestServer, startHttpServer } from '../../test/support/http-server.js';
import { ApiClient } from '../api-client.js';
import { MemoryTokenStorage } from '../token-storage.js';
import { ActionQueue, type ActionResult } from './action-queue.js';
import { sdkActionSender, sdkBookingReader } from './action-sender.js';
import { CONFLICT_RULES, classifyMeanwhile, type Meanwhile } from './conflict-rules.js';
import { OfflineCache } from './offline-cache.js';
import { deleteOfflineDb, OfflineDb } from './offline-db.js';
import type { QueuedKind, QueuedPayload } from './queued-action.js';

const ID = 'c0000000-0000-4000-8000-000000000003';
const LATER = '2030-01-01T12:00:00.000Z';

/** The table in docs/offline.md, as rows "action|meanwhile|outcome|notice|choices". */
function docsRows(): string[] {
  const md = readFileSync(new URL('../../../../docs/offline.md', import.meta.url), 'utf8');
  const section = md.slice(md.indexOf('## Conflict rules'), md.indexOf('## Sync states'));
  return section
    .split('\n')
    .filter((l) => /^\| [a-z-]+ +\| [a-z-]+ +\| (applied|merged|refused)/.test(l))
    .map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim().replace(/, /g, ','))
        .join('|'),
    );
}

const codeRows = (): string[] =>
  Object.entries(CONFLICT_RULES).flatMap(([kind, rows]) =>
    Object.entries(rows).map(([m, r]) => [kind, m, r.outcome, r.notice, r.choices.join(',')].join('|')),
  );

describe('the conflict table', () => {
  it('is the same in code and in docs/offline.md', () => {
    expect(docsRows()).toEqual(codeRows());
  });

  it('names a status change before a move, and a refusal code before either', () => {
    const seen = booking(ID);
    expect(classifyMeanwhile('BOOKING_VERSION_CONFLICT', seen, { ...seen, status: 'cancelled', startAt: LATER })).toBe(
      'cancelled',
    );
    expect(classifyMeanwhile('BOOKING_VERSION_CONFLICT', seen, { ...seen, startAt: LATER })).toBe('rescheduled');
    expect(classifyMeanwhile('BOOKING_VERSION_CONFLICT', seen, { ...seen, note: 'x' })).toBe('other-change');
    expect(classifyMeanwhile('BOOKING_SLOT_TAKEN', seen, seen)).toBe('slot-taken');
    expect(classifyMeanwhile('NOT_FOUND', seen, null)).toBe('permission-lost');
    expect(classifyMeanwhile('BOOKING_CANCELLATION_WINDOW_CLOSED', seen, seen)).toBe('rule-broken');
  });
});

let server: HttpTestServer;
let endpoint: BookingEndpoint;
let db: OfflineDb;
let n = 0;

beforeEach(async () => {
  n++;
  server = await startHttpServer();
  endpoint = new BookingEndpoint(server);
  db = new OfflineDb(`conflicts-${n}`);
});
afterEach(async () => {
  db.close();
  await deleteOfflineDb(`conflicts-${n}`);
  await server.close();
});

/** The booking as the user saw it when acting: a state the action fits. */
function seenFor(kind: QueuedKind): Booking {
  return booking(ID, { status: kind === 'check-in' || kind === 'no-show' ? 'confirmed' : 'requested', version: 3 });
}

/** Puts the server in the state `meanwhile` describes, relative to what the user saw. */
function arrange(kind: QueuedKind, meanwhile: Meanwhile, seen: Booking): void {
  const moved = (patch: Partial<Booking>): void => {
    endpoint.bookings.set(ID, { ...seen, ...patch, version: seen.version + 1 });
  };
  endpoint.bookings.set(ID, seen);
  switch (meanwhile) {
    case 'confirmed':
      // A check-in or no-show seen on a request that was confirmed meanwhile.
      if (seen.status === 'confirmed') endpoint.bookings.set(ID, { ...seen, status: 'requested' });
      moved({ status: 'confirmed' });
      if (kind === 'check-in' || kind === 'no-show') seen.status = 'requested';
      return;
    case 'declined':
    case 'cancelled':
    case 'expired':
      moved({ status: meanwhile });
      return;
    case 'rescheduled':
      moved({ startAt: LATER, endAt: '2030-01-01T13:00:00.000Z' });
      return;
    case 'other-change':
      moved({ note: 'changed by the salon' });
      return;
    case 'slot-taken':
      endpoint.refuse.push({ status: 409, code: 'BOOKING_SLOT_TAKEN' });
      return;
    case 'permission-lost':
      endpoint.refuse.push({ status: 403, code: 'FORBIDDEN' });
      return;
    case 'rule-broken':
      endpoint.refuse.push({ status: 409, code: 'BOOKING_CANCELLATION_WINDOW_CLOSED' });
      return;
  }
}

function payloadFor(kind: QueuedKind): QueuedPayload {
  switch (kind) {
    case 'book':
      return {
        kind,
        input: { serviceId: seenFor(kind).serviceId, resourceId: seenFor(kind).resourceId, startAt: LATER },
      };
    case 'reschedule':
      return { kind, input: { startAt: LATER } };
    case 'mark-read':
      return { kind, notificationId: ID };
    default:
      return { kind };
  }
}

const rows = Object.entries(CONFLICT_RULES).flatMap(([kind, byMeanwhile]) =>
  Object.entries(byMeanwhile).map(([meanwhile, rule]) => ({
    kind: kind as QueuedKind,
    meanwhile: meanwhile as Meanwhile,
    rule,
  })),
);

describe('a queued action refused by the server', () => {
  it.each(rows)('$kind after $meanwhile: $rule.outcome', async ({ kind, meanwhile, rule }) => {
    const tokenStorage = new MemoryTokenStorage();
    tokenStorage.save(tokenPair(1));
    const api = new ApiClient({ baseUrl: server.url, tokenStorage, retry: { maxRetries: 0 } });
    await api.tokens.ready;
    const queue = new ActionQueue({
      db,
      cache: new OfflineCache(db),
      send: sdkActionSender(api),
      read: sdkBookingReader(api),
      userId: `conflicts-${n}`,
      locks: null,
    });
    const seen = seenFor(kind);
    arrange(kind, meanwhile, seen);
    if (kind === 'mark-read' && meanwhile === 'other-change') {
      endpoint.refuse.push({ status: 409, code: 'BOOKING_VERSION_CONFLICT' });
    }
    const results: ActionResult[] = [];
    queue.on('settled', (r) => {
      results.push(r);
    });
    await queue.enqueue({ payload: payloadFor(kind), expected: kind === 'book' || kind === 'mark-read' ? null : seen });

    expect(await queue.flush()).toBe('done');
    queue.stop();

    expect(await queue.pending()).toEqual([]);
    const attention = await queue.attention();
    const posts = server.requests.filter((r) => r.method === 'POST');
    if (rule.outcome === 'applied') {
      // Re-sent once, on the server's version, under a new key; then it went through.
      expect(results.map((r) => r.outcome)).toEqual(['sent']);
      expect(posts).toHaveLength(2);
      expect((posts[1]!.body as { version: number }).version).toBe(seen.version + 1);
      expect(posts[1]!.headers['idempotency-key']).not.toBe(posts[0]!.headers['idempotency-key']);
      expect(attention).toEqual([]);
    } else if (rule.outcome === 'merged') {
      expect(results.map((r) => r.outcome)).toEqual(['merged']);
      expect(posts).toHaveLength(1);
      expect(attention).toEqual([]);
    } else {
      expect(results.map((r) => r.outcome)).toEqual(['refused']);
      expect(posts).toHaveLength(1);
      expect(attention).toHaveLength(1);
      expect(attention[0]).toMatchObject({ kind, meanwhile, reason: rule.notice, choices: [...rule.choices] });
      // The user sees the booking as the server has it now (when they may still see it).
      if (meanwhile !== 'permission-lost' && kind !== 'book') expect(attention[0]!.current?.id).toBe(ID);
    }
  });
});
