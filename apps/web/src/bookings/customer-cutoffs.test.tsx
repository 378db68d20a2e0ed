import { type SlotcastClient, TokenManager } from '@slotcast/client';
import type { Resource, Vendor } from '@slotcast/protocol';
import { act, cleanup, render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { jwtPair } from '../../../../packages/client/test/support/fixtures.js';
import { aBooking } from '../../test/support/booking-fixture.js';
import { CustomerBooking } from '../customer/BookingStatusCard.js';
import { LiveSession } from '../sdk/live-session.js';
import { SlotcastContext } from '../sdk/slotcast-context.js';
import { BookingActions } from './BookingPanel.js';

// The booking starts Tue 8 Jan 2030, 10:00 Berlin (09:00 UTC). Moving closes 4 hours before, cancelling 2 hours before.
const booking = aBooking({ status: 'confirmed' });
const MOVE_BY = Date.parse('2030-01-08T05:00:00.000Z');
const CANCEL_BY = Date.parse('2030-01-08T07:00:00.000Z');
const START = Date.parse(booking.startAt);
const vendor: Vendor = {
  id: booking.vendorId,
  name: 'Studio Mira Hair',
  slug: 'studio-mira',
  autoConfirm: true,
  cancellationCutoffMinutes: 120,
  requestTtlMinutes: 60,
  rescheduleCutoffMinutes: 240,
  rescheduleNeedsConfirmation: false,
};
const resource: Resource = {
  id: booking.resourceId,
  vendorId: booking.vendorId,
  name: 'Chair 1',
  timezone: 'Europe/Berlin',
  slotIntervalMinutes: 15,
  weeklyHours: {},
  exceptions: [],
};

function renderAs(role: 'customer' | 'staff', ui: ReactNode, tokens = new TokenManager({ refresh: vi.fn() })) {
  const sdk = {
    api: { tokens, bookings: { transition: vi.fn(), reschedule: vi.fn() } },
  } as unknown as SlotcastClient;
  const live = new LiveSession(sdk);
  live.bookings.merge([booking]);
  const user = {
    id: role === 'customer' ? booking.customerId : '50000000-0000-4000-8000-000000000001',
    email: 'x@example.test',
    name: 'X',
    role,
    vendorId: role === 'staff' ? booking.vendorId : null,
    isOwner: false,
  };
  render(<SlotcastContext.Provider value={{ sdk, user, ready: true, live }}>{ui}</SlotcastContext.Provider>);
}

const buttons = () => screen.queryAllByRole('button').map((b) => b.textContent);
/** Moves the injected clock to `at` and runs what is due by then. */
const clockTo = (at: number) => act(() => vi.advanceTimersByTime(at - Date.now()));

beforeEach(() => {
  vi.useFakeTimers({ now: MOVE_BY - 30_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe("a customer's own changes close at the vendor's cut-offs, on an open page", () => {
  it('takes the booking card’s cancel button away at the cancellation cut-off and says whom to ask', () => {
    renderAs(
      'customer',
      <CustomerBooking booking={booking} fresh={undefined} catalog={{ vendor, resources: [resource], services: [] }} />,
    );
    clockTo(CANCEL_BY - 1_000);
    expect(buttons()).toContain('Cancel booking');
    expect(screen.getByText(/Free cancellation until Tue 8 Jan, 08:00 Berlin time/)).toBeTruthy();

    // The server refuses a cancel strictly after the cut-off; the button goes one millisecond after it.
    clockTo(CANCEL_BY);
    expect(buttons()).toContain('Cancel booking');
    clockTo(CANCEL_BY + 1);
    expect(buttons()).not.toContain('Cancel booking');
    expect(
      screen.getByText(
        'Online cancellation closed at Tue 8 Jan, 08:00 Berlin time. To cancel or change it, contact Studio Mira Hair directly.',
      ),
    ).toBeTruthy();
  });

  it('hides Reschedule at the move cut-off and Cancel at the cancel cut-off, saying which closed', () => {
    renderAs(
      'customer',
      <BookingActions
        booking={booking}
        userRole="customer"
        me={booking.customerId}
        resources={[resource]}
        service={undefined}
        resourceName="Chair 1"
        vendor={vendor}
      />,
    );
    expect(buttons()).toEqual(['Reschedule', 'Cancel booking']);

    clockTo(MOVE_BY + 1);
    expect(buttons()).toEqual(['Cancel booking']);
    expect(screen.getByTestId('changes-closed').textContent).toBe('To move it now, contact Studio Mira Hair directly.');

    clockTo(CANCEL_BY + 1);
    expect(buttons()).toEqual([]);
    expect(screen.getByTestId('changes-closed').textContent).toBe(
      'To cancel or move it now, contact Studio Mira Hair directly.',
    );
    expect(screen.queryByText('No further changes are possible.')).toBeNull();
  });

  it('keeps every staff action after the customer cut-offs, and offers No-show from the start on', () => {
    vi.setSystemTime(CANCEL_BY + 60_000);
    renderAs(
      'staff',
      <BookingActions
        booking={booking}
        userRole="staff"
        me="50000000-0000-4000-8000-000000000001"
        resources={[resource]}
        service={undefined}
        resourceName="Chair 1"
        vendor={vendor}
      />,
    );
    // Before the start nobody is a no-show yet (the server answers BOOKING_NOT_STARTED).
    expect(buttons()).toEqual(['Check in', 'Reschedule', 'Cancel booking']);
    expect(screen.queryByTestId('changes-closed')).toBeNull();
    clockTo(START - 1);
    expect(buttons()).not.toContain('No-show');
    clockTo(START);
    expect(buttons()).toEqual(['Check in', 'No-show', 'Reschedule', 'Cancel booking']);
  });

  it('goes by the server’s clock: on a phone 45 minutes fast, Cancel stays until the server’s cut-off', async () => {
    const issued = CANCEL_BY - 10 * 60_000;
    vi.setSystemTime(issued + 45 * 60_000);
    const tokens = new TokenManager({ refresh: vi.fn(), autoRefresh: false });
    await tokens.setSession(
      jwtPair(1, issued, 15 * 60_000, {
        id: booking.customerId,
        email: 'x@example.test',
        name: 'X',
        role: 'customer',
        vendorId: null,
        isOwner: false,
      }),
    );
    renderAs(
      'customer',
      <CustomerBooking booking={booking} fresh={undefined} catalog={{ vendor, resources: [resource], services: [] }} />,
      tokens,
    );
    // By the phone's clock the cut-off passed 35 minutes ago; by the server's it is 10 minutes away.
    expect(buttons()).toContain('Cancel booking');
    clockTo(Date.now() + 10 * 60_000 + 1_000);
    expect(buttons()).not.toContain('Cancel booking');
  });
});
