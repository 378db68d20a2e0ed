import { useEffect, useMemo } from 'react';
import { InstallPrompt } from '../app/InstallPrompt.js';
import { Link } from '../app/router.js';
import { useAllCatalogs } from '../bookings/catalog.js';
import { useBookingRange } from '../bookings/use-booking-range.js';
import { EnableNotifications } from '../notifications/EnableNotifications.js';
import { PullToRefresh } from '../refresh/PullToRefresh.js';
import { useOptionalLive } from '../sdk/slotcast-context.js';
import { LoadState } from '../ui/LoadState.js';
import { PageHeading } from '../ui/PageHeading.js';
import { CustomerBooking } from './BookingStatusCard.js';

const DAY = 86_400_000;

/** The customer's bookings, upcoming first; statuses change here live as the vendor acts. */
export function MyBookings({ focusId }: { focusId?: string } = {}) {
  const catalogs = useAllCatalogs();
  // Rounded to the hour, so the range (and the REST read) stays put across re-renders.
  const now = Math.floor(Date.now() / 3_600_000) * 3_600_000;
  const range = useMemo(
    () => ({ from: new Date(now - 30 * DAY).toISOString(), to: new Date(now + 366 * DAY).toISOString() }),
    [now],
  );
  const { bookings, snapshot, status, error, reload } = useBookingRange(range);
  const live = useOptionalLive();
  // Phones have no reload button in standalone mode: reconnect (cursor + replay) and read the list again.
  const refresh = async () => (live ? live.refresh() : reload().then(() => true));
  const upcoming = bookings.filter((b) => Date.parse(b.endAt) >= Date.now());
  const past = bookings.filter((b) => Date.parse(b.endAt) < Date.now()).reverse();
  const focusLoaded = focusId !== undefined && bookings.some((b) => b.id === focusId);
  useEffect(() => {
    if (!focusLoaded) return;
    const card = document.querySelector<HTMLElement>(`[data-booking-id="${focusId}"]`);
    card?.scrollIntoView({ block: 'center' });
    card?.setAttribute('data-focused', 'true');
  }, [focusId, focusLoaded]);

  return (
    <PullToRefresh onRefresh={refresh}>
      <PageHeading>My bookings</PageHeading>
      <LoadState status={status} error={error} onRetry={reload} what="your bookings" />
      {bookings.length > 0 && (
        <>
          <EnableNotifications reason="We will tell you on this device when your booking is confirmed, moved or cancelled, even with Slotcast closed." />
          <InstallPrompt />
        </>
      )}
      {status === 'ready' && bookings.length === 0 && (
        <p className="empty">
          No bookings yet. <Link to="/">Book an appointment</Link>.
        </p>
      )}
      {upcoming.length > 0 && (
        <section aria-labelledby="upcoming-h">
          <h2 id="upcoming-h">Upcoming</h2>
          <div className="card-list" data-testid="my-bookings">
            {upcoming.map((b) => (
              <CustomerBooking
                key={b.id}
                booking={b}
                fresh={snapshot.fresh.get(b.id)}
                catalog={catalogs.data?.get(b.vendorId)}
              />
            ))}
          </div>
        </section>
      )}
      {past.length > 0 && (
        <section aria-labelledby="past-h">
          <h2 id="past-h">Past</h2>
          <div className="card-list">
            {past.map((b) => (
              <CustomerBooking
                key={b.id}
                booking={b}
                fresh={snapshot.fresh.get(b.id)}
                catalog={catalogs.data?.get(b.vendorId)}
              />
            ))}
          </div>
        </section>
      )}
    </PullToRefresh>
  );
}
