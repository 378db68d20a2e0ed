import {
  type BookingStatus,
  BookingStatus as BookingStatusSchema,
  type ErrorCode,
  SlotcastError,
} from '@slotcast/protocol';
import { describe, expect, it } from 'vitest';
import {
  type ActorContext,
  type BookingFacts,
  decideTransition,
  initialStatus,
  maySee,
  TRANSITIONS,
  type TransitionName,
} from './booking-transitions.js';

const VENDOR = '11111111-1111-4111-8111-111111111111';
const OTHER_VENDOR = '22222222-2222-4222-8222-222222222222';
const CUSTOMER = '33333333-3333-4333-8333-333333333333';
const OTHER_CUSTOMER = '44444444-4444-4444-8444-444444444444';
const STAFF = '55555555-5555-4555-8555-555555555555';

const customer: ActorContext = { role: 'customer', userId: CUSTOMER, vendorId: null };
const otherCustomer: ActorContext = { role: 'customer', userId: OTHER_CUSTOMER, vendorId: null };
const staff: ActorContext = { role: 'staff', userId: STAFF, vendorId: VENDOR };
const otherStaff: ActorContext = { role: 'staff', userId: STAFF, vendorId: OTHER_VENDOR };
const admin: ActorContext = { role: 'admin', userId: STAFF, vendorId: null };
const system: ActorContext = { role: 'system', userId: null, vendorId: null };

const NOW = new Date('2030-06-01T10:00:00Z');
const HOUR = 3_600_000;
const policy = { cancellationCutoffMinutes: 120 };
const STATUSES = BookingStatusSchema.options;

const bookingIn = (status: BookingStatus, startAt = new Date(NOW.getTime() + 48 * HOUR)): BookingFacts => ({
  status,
  vendorId: VENDOR,
  customerId: CUSTOMER,
  startAt,
});

/** The lifecycle as the product defines it, written out independently of TRANSITIONS. */
const EXPECTED: Record<TransitionName, { from: BookingStatus[]; to: BookingStatus | 'same'; event: string }> = {
  confirm: { from: ['requested'], to: 'confirmed', event: 'booking.confirmed' },
  decline: { from: ['requested'], to: 'declined', event: 'booking.declined' },
  cancel: { from: ['requested', 'confirmed'], to: 'cancelled', event: 'booking.cancelled' },
  expire: { from: ['requested'], to: 'expired', event: 'booking.expired' },
  'check-in': { from: ['confirmed'], to: 'checked_in', event: 'booking.checked_in' },
  'no-show': { from: ['confirmed'], to: 'no_show', event: 'booking.no_show' },
  complete: { from: ['checked_in'], to: 'completed', event: 'booking.completed' },
  reschedule: { from: ['requested', 'confirmed'], to: 'same', event: 'booking.rescheduled' },
};
const ACTIONS = Object.keys(EXPECTED) as TransitionName[];

/** Who may make each change (vendor scoping aside). */
const ALLOWED_ROLES: Record<TransitionName, ActorContext['role'][]> = {
  confirm: ['staff', 'admin'],
  decline: ['staff', 'admin'],
  cancel: ['customer', 'staff', 'admin'],
  expire: ['system'],
  'check-in': ['staff', 'admin'],
  'no-show': ['staff', 'admin'],
  complete: ['staff', 'admin'],
  reschedule: ['customer', 'staff', 'admin'],
};
const ACTOR_OF_ROLE: Record<ActorContext['role'], ActorContext> = { customer, staff, admin, system };

/** A start the action is possible at: in two days, or (a no-show) an hour ago. */
const startFor = (action: TransitionName) => new Date(NOW.getTime() + (action === 'no-show' ? -HOUR : 48 * HOUR));

function codeOf(fn: () => unknown): ErrorCode | null {
  try {
    fn();
    return null;
  } catch (err) {
    if (err instanceof SlotcastError) return err.code;
    throw err;
  }
}

describe('booking transitions', () => {
  it('covers every action the API and the expiry worker use', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...ACTIONS].sort());
  });

  describe.each(ACTIONS)('%s', (action) => {
    const actor = ACTOR_OF_ROLE[ALLOWED_ROLES[action][0]!];
    const { from, to, event } = EXPECTED[action];

    it.each(STATUSES)(
      `from %s: allowed exactly where the lifecycle says, else BOOKING_TRANSITION_NOT_ALLOWED`,
      (status) => {
        const decide = () => decideTransition(action, actor, bookingIn(status, startFor(action)), policy, NOW);
        if (from.includes(status)) {
          expect(decide()).toEqual({ status: to === 'same' ? status : to, event });
        } else {
          expect(codeOf(decide)).toBe('BOOKING_TRANSITION_NOT_ALLOWED');
        }
      },
    );

    it.each(['customer', 'staff', 'admin', 'system'] as const)(
      'as %s: allowed only for its roles, else FORBIDDEN',
      (role) => {
        const code = codeOf(() =>
          decideTransition(action, ACTOR_OF_ROLE[role], bookingIn(from[0]!, startFor(action)), policy, NOW),
        );
        expect(code).toBe(ALLOWED_ROLES[action].includes(role) ? null : 'FORBIDDEN');
      },
    );
  });

  it('reports the current status and the allowed ones with BOOKING_TRANSITION_NOT_ALLOWED', () => {
    try {
      decideTransition('confirm', staff, bookingIn('cancelled'), policy, NOW);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(SlotcastError);
      expect((err as SlotcastError).extensions).toEqual({ currentStatus: 'cancelled', allowedFrom: ['requested'] });
    }
  });

  describe('customer cut-off', () => {
    const cutoffAt = (start: Date) => new Date(start.getTime() - policy.cancellationCutoffMinutes * 60_000);
    const start = new Date(NOW.getTime() + 3 * HOUR);

    it.each(['cancel', 'reschedule'] as const)('lets a customer %s up to the cut-off, inclusive', (action) => {
      expect(
        codeOf(() => decideTransition(action, customer, bookingIn('confirmed', start), policy, cutoffAt(start))),
      ).toBe(null);
    });

    it.each(['cancel', 'reschedule'] as const)(
      'refuses a customer who %ss after the cut-off with BOOKING_CANCELLATION_WINDOW_CLOSED',
      (action) => {
        const late = new Date(cutoffAt(start).getTime() + 1);
        try {
          decideTransition(action, customer, bookingIn('requested', start), policy, late);
          expect.unreachable();
        } catch (err) {
          expect((err as SlotcastError).code).toBe('BOOKING_CANCELLATION_WINDOW_CLOSED');
          expect((err as SlotcastError).extensions).toEqual({ cutoffAt: cutoffAt(start).toISOString() });
        }
      },
    );

    it('refuses a customer after the start even with no cut-off', () => {
      const code = codeOf(() =>
        decideTransition(
          'cancel',
          customer,
          bookingIn('confirmed', NOW),
          { cancellationCutoffMinutes: 0 },
          new Date(NOW.getTime() + 1),
        ),
      );
      expect(code).toBe('BOOKING_CANCELLATION_WINDOW_CLOSED');
    });

    it.each([staff, admin])('does not bind $role: they cancel and reschedule after the cut-off', (actor) => {
      const late = new Date(start.getTime() + HOUR);
      for (const action of ['cancel', 'reschedule'] as const) {
        expect(codeOf(() => decideTransition(action, actor, bookingIn('confirmed', start), policy, late))).toBe(null);
      }
    });

    it('checks the status before the cut-off: a late customer cancelling a completed booking gets BOOKING_TRANSITION_NOT_ALLOWED', () => {
      const code = codeOf(() => decideTransition('cancel', customer, bookingIn('completed', NOW), policy, NOW));
      expect(code).toBe('BOOKING_TRANSITION_NOT_ALLOWED');
    });
  });

  describe('no-show', () => {
    it.each([staff, admin])(
      'refuses $role before the start with BOOKING_NOT_STARTED, and allows it from the start',
      (actor) => {
        const start = new Date(NOW.getTime() + 30 * 60_000);
        try {
          decideTransition('no-show', actor, bookingIn('confirmed', start), policy, NOW);
          expect.unreachable();
        } catch (err) {
          expect((err as SlotcastError).code).toBe('BOOKING_NOT_STARTED');
          expect((err as SlotcastError).extensions).toEqual({ startAt: start.toISOString() });
        }
        expect(decideTransition('no-show', actor, bookingIn('confirmed', start), policy, start).status).toBe('no_show');
      },
    );

    it('checks the status first: a no-show of a future request is BOOKING_TRANSITION_NOT_ALLOWED', () => {
      expect(codeOf(() => decideTransition('no-show', staff, bookingIn('requested'), policy, NOW))).toBe(
        'BOOKING_TRANSITION_NOT_ALLOWED',
      );
    });
  });

  describe('customer reschedule rules', () => {
    const start = new Date(NOW.getTime() + 3 * HOUR);
    const rules = { cancellationCutoffMinutes: 60, rescheduleCutoffMinutes: 240, rescheduleNeedsConfirmation: true };

    it('uses the reschedule cut-off for moves and the cancellation cut-off for cancels', () => {
      // 3 h before the start: inside the 4 h reschedule cut-off, outside the 1 h cancellation one.
      expect(codeOf(() => decideTransition('reschedule', customer, bookingIn('confirmed', start), rules, NOW))).toBe(
        'BOOKING_CANCELLATION_WINDOW_CLOSED',
      );
      expect(codeOf(() => decideTransition('cancel', customer, bookingIn('confirmed', start), rules, NOW))).toBe(null);
    });

    it('makes a customer-moved confirmed booking a request again when the vendor asks for it', () => {
      const far = bookingIn('confirmed');
      expect(decideTransition('reschedule', customer, far, rules, NOW).status).toBe('requested');
      expect(
        decideTransition('reschedule', customer, far, { ...rules, rescheduleNeedsConfirmation: false }, NOW).status,
      ).toBe('confirmed');
    });

    it.each([staff, admin])('keeps the status when $role moves it, whatever the vendor asks of customers', (actor) => {
      expect(decideTransition('reschedule', actor, bookingIn('confirmed', start), rules, NOW).status).toBe('confirmed');
    });
  });

  describe('visibility', () => {
    it.each([
      ['another customer', otherCustomer],
      ['staff of another vendor', otherStaff],
      ['staff without a vendor', { role: 'staff', userId: STAFF, vendorId: null } satisfies ActorContext],
    ])('answers NOT_FOUND to %s for every action and status, revealing nothing', (_, actor) => {
      for (const action of ACTIONS) {
        for (const status of STATUSES) {
          expect(codeOf(() => decideTransition(action, actor, bookingIn(status), policy, NOW))).toBe('NOT_FOUND');
        }
      }
    });

    it('lets admins and the system see every booking, staff their vendor’s, customers their own', () => {
      const b = { vendorId: VENDOR, customerId: CUSTOMER };
      expect(maySee(admin, b)).toBe(true);
      expect(maySee(system, b)).toBe(true);
      expect(maySee(staff, b)).toBe(true);
      expect(maySee(otherStaff, b)).toBe(false);
      expect(maySee(customer, b)).toBe(true);
      expect(maySee(otherCustomer, b)).toBe(false);
    });

    it('checks roles before status: a customer confirming their own cancelled booking gets FORBIDDEN', () => {
      expect(codeOf(() => decideTransition('confirm', customer, bookingIn('cancelled'), policy, NOW))).toBe(
        'FORBIDDEN',
      );
    });
  });

  it('starts a booking as requested, or confirmed when the vendor auto-confirms', () => {
    expect(initialStatus(false)).toEqual({ status: 'requested', event: 'booking.requested' });
    expect(initialStatus(true)).toEqual({ status: 'confirmed', event: 'booking.confirmed' });
  });
});
