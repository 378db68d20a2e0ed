import { type Booking, type BookingStatus, bookingPath } from '@slotcast/protocol';
import { memo, useState, useSyncExternalStore } from 'react';
import { Link } from '../app/router.js';
import './booking-card.css';
import { customerCutoffs } from '../bookings/booking-status.js';
import type { Freshness } from '../bookings/booking-store.js';
import type { VendorCatalog } from '../bookings/catalog.js';
import { FreshTag, StatusBadge } from '../bookings/StatusBadge.js';
import { useBookingAction } from '../bookings/use-booking-action.js';
import { PendingTag } from '../offline/PendingTag.js';
import { useLive } from '../sdk/slotcast-context.js';
import { useNowPast } from '../time/use-now-past.js';
import { formatDate, formatTime, zoneCity } from '../time/zoned.js';
import { SlotTime } from './SlotTime.js';
import { cutoffText } from './VendorDirectory.js';

function explain(status: BookingStatus, vendor: string, reason: string | null): string {
  switch (status) {
    case 'requested':
      return `Waiting for ${vendor} to confirm. This page updates by itself.`;
    case 'confirmed':
      return 'Confirmed. See you there!';
    case 'declined':
      return `${vendor} declined this request${reason ? `: “${reason}”` : '.'}`;
    case 'cancelled':
      return `Cancelled${reason ? `: “${reason}”` : '.'}`;
    case 'expired':
      return `${vendor} did not confirm in time, so the request lapsed. The time is free for others again.`;
    case 'checked_in':
      return 'You are checked in.';
    case 'no_show':
      return 'Marked as not attended.';
    case 'completed':
      return 'Completed. Thank you!';
  }
}

/** A customer's booking, kept current from the live store: its status changes here as the vendor acts. */
export function BookingStatusCard({ bookingId, catalog }: { bookingId: string; catalog: VendorCatalog | undefined }) {
  const live = useLive();
  const snapshot = useSyncExternalStore(live.bookings.subscribe, live.bookings.getSnapshot);
  const booking = snapshot.byId.get(bookingId);
  if (!booking) return null;
  return <CustomerBooking booking={booking} fresh={snapshot.fresh.get(bookingId)} catalog={catalog} />;
}

export const CustomerBooking = memo(function CustomerBooking({
  booking,
  fresh,
  catalog,
}: {
  booking: Booking;
  fresh: Freshness | undefined;
  catalog: VendorCatalog | undefined;
}) {
  const { run, pending, result, clear } = useBookingAction(booking);
  const [confirming, setConfirming] = useState(false);
  const vendor = catalog?.vendor;
  const vendorName = vendor?.name ?? 'The vendor';
  const service = catalog?.services.find((s) => s.id === booking.serviceId)?.name ?? 'Booking';
  const resource = catalog?.resources.find((r) => r.id === booking.resourceId)?.name;
  const cancellable = booking.status === 'requested' || booking.status === 'confirmed';
  const cutoffAt = vendor ? customerCutoffs(booking.startAt, vendor).cancel : null;
  // Past the cut-off the server refuses the customer's cancel: the button goes at that moment, even on an open page.
  const now = useNowPast([cutoffAt]);
  const cancelClosed = cutoffAt !== null && now > cutoffAt;
  const tz = booking.timezone;

  const cancel = async () => {
    if (await run('cancel')) setConfirming(false);
  };

  return (
    <article
      className={`card booking-card${fresh ? ' is-fresh' : ''}`}
      data-status={booking.status}
      data-booking-id={booking.id}
      aria-label={`${service} at ${vendorName}`}
    >
      <h2 className="card-title">
        {service} <span className="muted">at {vendorName}</span>
      </h2>
      <div className="booking-when">
        <SlotTime startAt={booking.startAt} zone={tz} long />
        {resource && <span className="muted">{resource}</span>}
      </div>
      <Link to={bookingPath(booking.id)} className="booking-open-link">
        Details, history and changes<span className="visually-hidden">: {service}</span>
      </Link>
      <div className="status-line" aria-live="polite" data-testid="booking-status">
        <StatusBadge status={booking.status} /> <FreshTag kind={fresh} /> <PendingTag bookingId={booking.id} />
        <span className="status-explain">{explain(booking.status, vendorName, booking.statusReason)}</span>
      </div>
      {cancellable && cutoffAt !== null && (
        <p className="muted">
          {cancelClosed
            ? `Online cancellation closed at ${formatDate(cutoffAt, tz)}, ${formatTime(cutoffAt, tz)} ${zoneCity(tz)} time. To cancel or change it, contact ${vendorName} directly.`
            : `Free cancellation until ${formatDate(cutoffAt, tz)}, ${formatTime(cutoffAt, tz)} ${zoneCity(tz)} time.`}
        </p>
      )}
      {cancellable && !cancelClosed && !confirming && (
        <button
          type="button"
          className="button button-danger"
          onClick={() => {
            clear();
            setConfirming(true);
          }}
        >
          Cancel booking
        </button>
      )}
      {cancellable && !cancelClosed && confirming && (
        <div className="confirm-box">
          <p>Cancel this booking?</p>
          <div className="button-row">
            <button type="button" className="button button-danger" disabled={pending !== null} onClick={cancel}>
              {pending ? 'Cancelling…' : 'Yes, cancel it'}
            </button>
            <button type="button" className="button" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </div>
        </div>
      )}
      {result?.kind === 'ok' && (
        <p className="result-ok" role="status">
          <span aria-hidden="true">✓ </span>
          {result.text}
        </p>
      )}
      {result?.kind === 'queued' && (
        <p className="result-queued" role="status">
          {result.text}
        </p>
      )}
      {result?.kind === 'error' && (
        <div className="notice notice-error" role="alert">
          {result.code === 'BOOKING_CANCELLATION_WINDOW_CLOSED' && vendor ? (
            <p>
              It is too late to cancel online: {vendor.name} takes cancellations{' '}
              {cutoffText(vendor.cancellationCutoffMinutes)} the start
              {cutoffAt !== null ? ` (until ${formatDate(cutoffAt, tz)}, ${formatTime(cutoffAt, tz)})` : ''}. Please
              contact them directly.
            </p>
          ) : (
            <p>Could not cancel: {result.text}</p>
          )}
        </div>
      )}
      {result?.kind === 'conflict' && (
        <div className="notice notice-warning" role="alert">
          <p>
            {vendorName} changed this booking a moment ago, so nothing was cancelled. It is now shown as it is; try
            again if you still want to cancel.
          </p>
        </div>
      )}
    </article>
  );
});
