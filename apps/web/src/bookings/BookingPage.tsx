import { isApiError } from '@slotcast/client';
import { type Booking, bookingPath, type TimelineEntry, type User, type Vendor } from '@slotcast/protocol';
import { useEffect, useSyncExternalStore } from 'react';
import { Link, navigate, useSearch } from '../app/router.js';
import { useAttentionResolver } from '../offline/pick-another-time.js';
import { useLive, useSdk } from '../sdk/slotcast-context.js';
import { useNowPast } from '../time/use-now-past.js';
import { formatDate, formatTime, userTimeZone, zoneCity } from '../time/zoned.js';
import { LoadState } from '../ui/LoadState.js';
import { NotFoundPage } from '../ui/NotFoundPage.js';
import { PageHeading } from '../ui/PageHeading.js';
import { useAsync } from '../ui/use-async.js';
import { BookingActions } from './BookingPanel.js';
import { customerCutoffs, STATUS_LABEL } from './booking-status.js';
import { CustomerContact } from './CustomerContact.js';
import { useCatalog } from './catalog.js';
import { useCustomer } from './customer-directory.js';
import { FreshTag, StatusBadge } from './StatusBadge.js';
import './booking-page.css';

/**
 * One booking at its own address (`/bookings/:id`, where notifications lead): its live status, what happened to it
 * and who did it, and the actions the reader may take. The server decides who may open it: others get "not found".
 */
export function BookingPage({ bookingId, user }: { bookingId: string; user: User }) {
  const sdk = useSdk();
  const live = useLive();
  const load = useAsync(
    async (signal) => {
      const b = await sdk.api.bookings.get(bookingId, { signal });
      live.bookings.merge([b]);
      return b;
    },
    [sdk, live, bookingId],
  );
  const { reload } = load;
  useEffect(() => live.onReload(reload), [live, reload]);
  const snapshot = useSyncExternalStore(live.bookings.subscribe, live.bookings.getSnapshot);
  const booking = snapshot.byId.get(bookingId);

  if (load.status === 'error' && isApiError(load.error, 'NOT_FOUND')) {
    return <NotFoundPage what="booking" />;
  }
  if (!booking) {
    return (
      <>
        <PageHeading>Booking</PageHeading>
        <LoadState status={load.status} error={load.error} onRetry={reload} what="the booking" />
      </>
    );
  }
  return <BookingDetails booking={booking} fresh={snapshot.fresh.get(booking.id)} user={user} />;
}

function BookingDetails({
  booking,
  fresh,
  user,
}: {
  booking: Booking;
  fresh: ReturnType<Map<string, 'new' | 'changed'>['get']>;
  user: User;
}) {
  const catalog = useCatalog(booking.vendorId);
  const staffView = user.role !== 'customer';
  const customer = useCustomer(booking, staffView);
  const service = catalog.data?.services.find((s) => s.id === booking.serviceId);
  const resource = catalog.data?.resources.find((r) => r.id === booking.resourceId);
  const vendorName = catalog.data?.vendor.name ?? 'the vendor';
  const tz = booking.timezone;
  // "Pick another time" for a refused reschedule lands here with the form open; the new time resolves the notice.
  const live = useLive();
  const attention = useAttentionResolver(live);
  const openForm = new URLSearchParams(useSearch()).get('reschedule') === '1' ? 'reschedule' : null;

  return (
    <article
      className="booking-page"
      data-booking-id={booking.id}
      data-status={booking.status}
      data-start={booking.startAt}
    >
      <p className="back-link">
        <Link to="/bookings">{staffView ? 'All bookings' : 'My bookings'}</Link>
      </p>
      <PageHeading>
        {service?.name ?? 'Booking'} · {formatDate(booking.startAt, tz)}, {formatTime(booking.startAt, tz)}
      </PageHeading>
      <p className="booking-page-status" data-testid="booking-page-status">
        <StatusBadge status={booking.status} /> <FreshTag kind={fresh} />
      </p>
      <dl className="facts">
        <dt>When</dt>
        <dd>
          {formatDate(booking.startAt, tz)}, {formatTime(booking.startAt, tz)}–{formatTime(booking.endAt, tz)}{' '}
          <span className="muted">({tz})</span>
        </dd>
        <dt>Where</dt>
        <dd>
          {resource?.name ?? 'Resource'} · {vendorName}
        </dd>
        {staffView && (
          <>
            <dt>Customer</dt>
            <dd data-testid="page-customer">
              <CustomerContact customer={customer} customerId={booking.customerId} />
            </dd>
          </>
        )}
        {booking.note && (
          <>
            <dt>Note</dt>
            <dd>{booking.note}</dd>
          </>
        )}
      </dl>
      <section aria-labelledby="booking-actions-h" className="booking-page-section">
        <h2 id="booking-actions-h">What you can do</h2>
        {user.role === 'customer' && catalog.data && <CustomerRules booking={booking} vendor={catalog.data.vendor} />}
        <BookingActions
          key={booking.id}
          booking={booking}
          userRole={user.role}
          me={user.id}
          resources={catalog.data?.resources ?? []}
          service={service}
          resourceName={resource?.name ?? 'Resource'}
          openForm={openForm}
          vendor={user.role === 'customer' ? catalog.data?.vendor : undefined}
          onRescheduled={() => {
            if (!attention.fromAttention) return;
            void attention.resolve().catch(() => {});
            navigate(bookingPath(booking.id), { replace: true });
          }}
        />
      </section>
      <Timeline booking={booking} staffView={staffView} vendorName={vendorName} />
    </article>
  );
}

/** The vendor's rules for a customer's own changes, with the times they end — or ended, from that moment on. */
function CustomerRules({ booking: b, vendor: v }: { booking: Booking; vendor: Vendor }) {
  const tz = b.timezone;
  const { cancel: cancelBy, reschedule: moveBy } = customerCutoffs(b.startAt, v);
  const now = useNowPast([moveBy, cancelBy]);
  if (b.status !== 'requested' && b.status !== 'confirmed') return null;
  // In the place's time, named as the booking card names it: a customer abroad reads them unambiguously.
  const at = (t: number) => `${formatDate(t, tz)}, ${formatTime(t, tz)} ${zoneCity(tz)} time`;
  return (
    <ul className="rules">
      <li>
        {now > moveBy
          ? `Moving it online closed at ${at(moveBy)}.`
          : `You can move it until ${at(moveBy)}${v.rescheduleNeedsConfirmation ? `; ${v.name} then confirms the new time.` : '.'}`}
      </li>
      <li>
        {now > cancelBy ? `Cancelling online closed at ${at(cancelBy)}.` : `You can cancel it until ${at(cancelBy)}.`}
      </li>
    </ul>
  );
}

const EVENT_TEXT: Record<string, string> = {
  'booking.requested': 'Requested',
  'booking.confirmed': 'Confirmed',
  'booking.declined': 'Declined',
  'booking.cancelled': 'Cancelled',
  'booking.expired': 'Expired (not confirmed in time)',
  'booking.checked_in': 'Checked in',
  'booking.no_show': 'Marked as no-show',
  'booking.completed': 'Completed',
  'booking.rescheduled': 'Moved',
};

function who(e: TimelineEntry, staffView: boolean, vendorName: string): string {
  if (e.actor.you) return 'you';
  if (e.actor.name) return e.actor.name;
  switch (e.actor.role) {
    case 'system':
      return 'Slotcast';
    case 'customer':
      return staffView ? 'the customer' : 'you';
    case 'staff':
      return vendorName;
    case 'admin':
      return staffView ? 'an admin' : vendorName;
  }
}

/** The booking's history from the server's event log; read again whenever the booking changes (its version). */
function Timeline({ booking, staffView, vendorName }: { booking: Booking; staffView: boolean; vendorName: string }) {
  const sdk = useSdk();
  const timeline = useAsync(
    (signal) => sdk.api.bookings.timeline(booking.id, { signal }),
    [sdk, booking.id, booking.version],
  );
  const tz = booking.timezone;
  return (
    <section aria-labelledby="timeline-h" className="booking-page-section">
      <h2 id="timeline-h">History</h2>
      {tz !== userTimeZone() && <p className="muted">Times in {tz}.</p>}
      {timeline.data === undefined && (
        <LoadState status={timeline.status} error={timeline.error} onRetry={timeline.reload} what="the history" />
      )}
      {timeline.data && (
        <ol className="timeline" data-testid="timeline">
          {timeline.data.items.map((e, i) => (
            <li key={e.id} className="timeline-item" data-event={e.type}>
              <span className="timeline-what">
                {/* A place that confirms at once: the booking's first event is its confirmation. */}
                {i === 0 && e.type === 'booking.confirmed' ? 'Booked' : (EVENT_TEXT[e.type] ?? STATUS_LABEL[e.status])}
                {e.type === 'booking.rescheduled' && e.previous
                  ? ` from ${formatDate(e.previous.startAt, tz)}, ${formatTime(e.previous.startAt, tz)} to ${formatDate(e.startAt, tz)}, ${formatTime(e.startAt, tz)}`
                  : ''}{' '}
                by {who(e, staffView, vendorName)}
                {i === 0 && e.type === 'booking.confirmed' ? ', confirmed at once' : ''}
              </span>
              <time className="muted" dateTime={e.occurredAt}>
                {formatDate(e.occurredAt, tz)}, {formatTime(e.occurredAt, tz)}
              </time>
              {e.reason && <span className="timeline-reason">“{e.reason}”</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
