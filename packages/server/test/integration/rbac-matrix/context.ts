import { randomUUID } from 'node:crypto';
import type { Booking, BookingAction } from '@slotcast/protocol';
import { expect, vi } from 'vitest';
import { UnsubscribeTokens } from '../../../src/mail/unsubscribe-tokens.js';
import { ActionTokens } from '../../../src/push/action-tokens.js';
import { TEST_JWT_SECRET, type TestServer } from '../../support/server.js';
import { api, type Party, type World } from '../../support/world.js';

// What the access-control matrix (account-routes.ts, booking-routes.ts, delivery-routes.ts) is made of: who calls,
// what each kind of caller is expected to get, and the fixtures cells build their requests from. rbac.test.ts runs it.
/** Who calls. The booking-scoped columns act on a booking of Alice's at vendor A; "the vendor" is vendor A. */
export const WHO = [
  'anonymous',
  'customer (own booking)',
  "customer (other's booking)",
  'staff of the vendor',
  'staff of another vendor',
  'owner',
  'owner of another vendor',
  'admin',
] as const;
export type Who = (typeof WHO)[number];
export type Expected = Record<Who, number>;

export interface Ctx {
  server: TestServer;
  w: World;
  nextSlot: () => string;
}

export interface Cell {
  path: string;
  body?: unknown;
}

export interface MatrixCase {
  /** Tells variants of one route apart (the transition endpoint has one per action). */
  variant?: string;
  /** Builds the request for one caller; may create what it needs (a fresh booking per cell). */
  request: (ctx: Ctx, who: Who) => Promise<Cell>;
  expected: Expected;
}

export const all = (status: number): Expected => Object.fromEntries(WHO.map((w) => [w, status])) as Expected;
export const signedIn = (status: number): Expected => ({ ...all(status), anonymous: 401 });
/** Vendor management: the vendor's owner and admins. */
export const managers = (status: number): Expected => ({ ...signedIn(403), owner: status, admin: status });
/** Reading or changing one of Alice's bookings at vendor A. */
export const bookingReaders = (status: number): Expected => ({
  anonymous: 401,
  'customer (own booking)': status,
  "customer (other's booking)": 404,
  'staff of the vendor': status,
  'staff of another vendor': 404,
  owner: status,
  'owner of another vendor': 404,
  admin: status,
});
/** Staff-only changes of one of Alice's bookings: Alice may see it (403), others may not (404). */
export const staffChange: Expected = { ...bookingReaders(200), 'customer (own booking)': 403 };
/** What a staff change answers whoever passes access control when the booking has not started (BOOKING_NOT_STARTED). */
export const notStartedYet: Expected = Object.fromEntries(
  Object.entries(staffChange).map(([who, status]) => [who, status === 200 ? 409 : status]),
) as Expected;

export const party = (w: World, who: Who): Party | null =>
  ({
    anonymous: null,
    'customer (own booking)': w.alice,
    "customer (other's booking)": w.bob,
    'staff of the vendor': w.a.staff,
    'staff of another vendor': w.b.staff,
    owner: w.a.owner,
    'owner of another vendor': w.b.owner,
    admin: w.admin,
  })[who];

export const unique = () => randomUUID().slice(0, 8);

export const aliceUnsubscribeToken = (w: World) =>
  new UnsubscribeTokens(TEST_JWT_SECRET).sign({ userId: w.alice.user.id, category: 'expiry' });

/** A booking of Alice's at vendor A, brought into `status` by an admin. */
export async function aliceBooking(ctx: Ctx, status: 'requested' | 'confirmed' | 'checked_in' = 'requested') {
  const { server, w } = ctx;
  const created = await api<Booking>(server, 'POST', '/bookings', {
    token: w.admin.token,
    body: {
      resourceId: w.a.resource.id,
      serviceId: w.a.service.id,
      startAt: ctx.nextSlot(),
      customerId: w.alice.user.id,
    },
  });
  expect(created.status).toBe(201);
  let b = created.body;
  const steps = { requested: [], confirmed: ['confirm'], checked_in: ['confirm', 'check-in'] }[status];
  for (const step of steps) {
    const res = await api<Booking>(server, 'POST', `/bookings/${b.id}/${step}`, {
      token: w.admin.token,
      body: { version: b.version },
    });
    expect(res.status).toBe(200);
    b = res.body;
  }
  return b;
}

/** One of Alice's notifications (made asynchronously from her confirmed booking), shared by the cells. */
let aliceNotificationId: Promise<string> | null = null;
export function aliceNotification(ctx: Ctx): Promise<string> {
  aliceNotificationId ??= (async () => {
    await aliceBooking(ctx, 'confirmed');
    return vi.waitFor(
      async () => {
        const page = await api<{ items: { id: string }[] }>(ctx.server, 'GET', '/notifications', {
          token: ctx.w.alice.token,
        });
        const first = page.body.items[0];
        if (!first) throw new Error('Alice got no notification');
        return first.id;
      },
      { timeout: 10_000, interval: 50 },
    );
  })();
  return aliceNotificationId;
}

export const hours = { mon: [{ start: '09:00', end: '17:00' }] };

export const ACTION_FROM: Record<BookingAction, 'requested' | 'confirmed' | 'checked_in'> = {
  confirm: 'requested',
  decline: 'requested',
  cancel: 'requested',
  'check-in': 'confirmed',
  'no-show': 'confirmed',
  complete: 'checked_in',
};

/** Alice's registered push device, shared by the cells (only she may remove it). */
let aliceDeviceId: Promise<string> | null = null;
export const aliceDevice = (ctx: Ctx) =>
  (aliceDeviceId ??= api<{ id: string }>(ctx.server, 'POST', '/push/subscriptions', {
    token: ctx.w.alice.token,
    body: {
      provider: 'webpush',
      endpoint: `https://fcm.googleapis.com/fcm/send/${unique()}`,
      keys: { p256dh: 'BAAA', auth: 'AAAA' },
    },
  }).then((r) => r.body.id));

/** A push action token for cancelling one of Alice's requests: the token, not the caller, is the authorisation. */
let aliceActionToken: Promise<string> | null = null;
export const aliceCancelToken = (ctx: Ctx) =>
  (aliceActionToken ??= aliceBooking(ctx).then((b) =>
    new ActionTokens(TEST_JWT_SECRET, 600).sign({
      userId: ctx.w.alice.user.id,
      bookingId: b.id,
      action: 'cancel',
      version: b.version,
    }),
  ));

/** Drops the fixtures made once per server (Alice's notification, device, action token): call for each new server. */
export function forgetFixtures(): void {
  aliceNotificationId = null;
  aliceDeviceId = null;
  aliceActionToken = null;
}
