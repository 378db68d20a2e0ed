import { SlotcastApiError, type SlotcastClient, TokenManager } from '@slotcast/client';
import { problemType, type Resource, type Service } from '@slotcast/protocol';
import { act, cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { aBooking } from '../../test/support/booking-fixture.js';
import { CustomerBooking } from '../customer/BookingStatusCard.js';
import { LiveSession } from '../sdk/live-session.js';
import { SlotcastContext } from '../sdk/slotcast-context.js';
import { BookingPanel } from './BookingPanel.js';

const VENDOR = '10000000-0000-4000-8000-000000000001';
const RESOURCE = '20000000-0000-4000-8000-000000000001';
const SERVICE = '30000000-0000-4000-8000-000000000001';
const CUSTOMER = '40000000-0000-4000-8000-000000000001';
const STAFF = '50000000-0000-4000-8000-000000000001';
const BOOKING = '60000000-0000-4000-8000-000000000001';

const booking = aBooking({
  id: BOOKING,
  vendorId: VENDOR,
  resourceId: RESOURCE,
  serviceId: SERVICE,
  customerId: CUSTOMER,
  updatedBy: { userId: CUSTOMER, role: 'customer' },
});
const ADA = { name: 'Ada Lovelace', phone: '+44 20 7946 0000', email: null };
const resource: Resource = {
  id: RESOURCE,
  vendorId: VENDOR,
  name: 'Chair 1',
  timezone: 'Europe/Berlin',
  slotIntervalMinutes: 15,
  weeklyHours: {},
  exceptions: [],
};
const service: Service = {
  id: SERVICE,
  vendorId: VENDOR,
  name: 'Haircut',
  durationMinutes: 45,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 15,
  priceMinor: 3800,
  currency: 'EUR',
  resourceIds: [RESOURCE],
};

const problem = (code: string, status: number, extra: Record<string, unknown> = {}) =>
  new SlotcastApiError({ type: problemType(code as never), title: code, status, code, ...extra });

function setup(role: 'staff' | 'customer' = 'staff') {
  const transition = vi.fn();
  const sdk = {
    api: { tokens: new TokenManager({ refresh: vi.fn() }), bookings: { transition, reschedule: vi.fn() } },
  } as unknown as SlotcastClient;
  const live = new LiveSession(sdk);
  // Staff read bookings with who booked; customers without.
  live.bookings.merge([role === 'staff' ? { ...booking, customer: ADA } : booking]);
  const user = {
    id: role === 'staff' ? STAFF : CUSTOMER,
    email: 'x@example.test',
    name: 'X',
    role,
    vendorId: role === 'staff' ? VENDOR : null,
    isOwner: false,
  };
  const ui =
    role === 'staff' ? (
      <BookingPanel
        bookingId={BOOKING}
        userRole="staff"
        me={STAFF}
        resources={[resource]}
        services={[service]}
        onClose={() => {}}
      />
    ) : (
      <CustomerBooking
        booking={booking}
        fresh={undefined}
        catalog={{
          vendor: {
            id: VENDOR,
            name: 'Studio Mira Hair',
            slug: 'studio-mira',
            autoConfirm: false,
            cancellationCutoffMinutes: 120,
            requestTtlMinutes: 60,
            rescheduleCutoffMinutes: 120,
            rescheduleNeedsConfirmation: false,
          },
          resources: [resource],
          services: [service],
        }}
      />
    );
  render(<SlotcastContext.Provider value={{ sdk, user, ready: true, live }}>{ui}</SlotcastContext.Provider>);
  return { transition, live, user: userEvent.setup() };
}

afterEach(cleanup);

describe('BookingPanel', () => {
  it('offers the actions the status allows and shows the result of one', async () => {
    const { transition, live, user } = setup();
    const names = within(screen.getByTestId('booking-panel'))
      .getAllByRole('button')
      .map((b) => b.textContent);
    expect(names).toEqual(expect.arrayContaining(['Confirm', 'Decline', 'Reschedule', 'Cancel booking']));
    expect(names).not.toContain('Check in');
    transition.mockResolvedValueOnce({ ...booking, status: 'confirmed', version: 2 });
    await user.click(screen.getByRole('button', { name: 'Confirm' }));
    expect(transition).toHaveBeenCalledWith(BOOKING, 'confirm', { version: 1 }, { idempotencyKey: expect.any(String) });
    expect(screen.getByTestId('action-result').textContent).toContain('Confirmed');
    expect(live.bookings.get(BOOKING)?.status).toBe('confirmed');
    expect(screen.getByRole('button', { name: 'Check in' })).toBeTruthy();
    // The answer carries no customer; the name and shared phone stay, remembered from the read.
    expect(screen.getByTestId('panel-customer').textContent).toBe('Ada Lovelace+44 20 7946 0000');
    expect(screen.queryByRole('button', { name: 'Confirm' })).toBeNull();
  });

  it('asks for a reason before declining and sends it', async () => {
    const { transition, user } = setup();
    await user.click(screen.getByRole('button', { name: 'Decline' }));
    const reason = screen.getByLabelText(/Reason for declining/);
    expect((reason as HTMLTextAreaElement).required).toBe(true);
    await user.type(reason, 'Fully booked that day');
    transition.mockResolvedValueOnce({ ...booking, status: 'declined', version: 2, statusReason: 'Fully booked' });
    await user.click(screen.getByRole('button', { name: 'Decline booking' }));
    expect(transition).toHaveBeenCalledWith(
      BOOKING,
      'decline',
      { version: 1, reason: 'Fully booked that day' },
      { idempotencyKey: expect.any(String) },
    );
    expect(screen.getByTestId('action-result').textContent).toContain('Declined');
  });

  it('reports a refused action in words', async () => {
    const { transition, user } = setup();
    transition.mockRejectedValueOnce(
      problem('BOOKING_TRANSITION_NOT_ALLOWED', 409, {
        detail: 'Cannot confirm a booking that is expired',
        currentStatus: 'expired',
      }),
    );
    await user.click(screen.getByRole('button', { name: 'Confirm' }));
    expect(screen.getByRole('alert').textContent).toContain('Confirm failed');
    expect(screen.getByRole('alert').textContent).toContain('the booking is expired now');
  });

  it('never shows the server’s own words for an internal error', async () => {
    const { transition, user } = setup();
    transition.mockRejectedValueOnce(problem('INTERNAL', 500, { detail: 'boom' }));
    await user.click(screen.getByRole('button', { name: 'Confirm' }));
    expect(screen.getByRole('alert').textContent).toContain('Something went wrong on our side');
    expect(screen.getByRole('alert').textContent).not.toContain('boom');
    // Focus moves in an effect after the error is shown; under load it can follow the render by a turn.
    await vi.waitFor(() => expect(document.activeElement).toBe(screen.getByRole('alert')));
  });

  it('drops an old error once the booking changes', async () => {
    const { transition, user, live } = setup();
    transition.mockRejectedValueOnce(problem('INTERNAL', 500));
    await user.click(screen.getByRole('button', { name: 'Confirm' }));
    expect(screen.getByRole('alert').textContent).toContain('Confirm failed');
    act(() => {
      live.bookings.apply({ ...booking, status: 'confirmed', version: 2, updatedBy: { userId: STAFF, role: 'staff' } });
    });
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('updates in place when the booking changes live', async () => {
    const { live } = setup();
    act(() => {
      live.bookings.apply({ ...booking, status: 'confirmed', version: 2, updatedBy: { userId: STAFF, role: 'staff' } });
    });
    const panel = screen.getByTestId('booking-panel');
    expect(within(panel).getByText('Confirmed')).toBeTruthy();
    expect(within(panel).getByText('Updated')).toBeTruthy();
    expect(panel.textContent).toContain('by you');
  });
});

describe('a customer booking', () => {
  it('shows a closed cancellation window as a clear explanation', async () => {
    const { transition, user } = setup('customer');
    transition.mockRejectedValueOnce(
      problem('BOOKING_CANCELLATION_WINDOW_CLOSED', 409, { cutoffAt: '2030-01-08T07:00:00.000Z' }),
    );
    await user.click(screen.getByRole('button', { name: 'Cancel booking' }));
    await user.click(screen.getByRole('button', { name: 'Yes, cancel it' }));
    expect(transition).toHaveBeenCalledWith(BOOKING, 'cancel', { version: 1 }, { idempotencyKey: expect.any(String) });
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('It is too late to cancel online');
    expect(alert.textContent).toContain('up to 2 hours before the start');
    expect(alert.textContent).toContain('Please contact them directly');
  });
});
