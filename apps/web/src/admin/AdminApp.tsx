import { APP_PATHS, type User } from '@slotcast/protocol';
import { BookingPage, ProfilePage } from '../app/lazy-pages.js';
import { matchPath, usePath } from '../app/router.js';
import { BookingsPage } from '../bookings/BookingsPage.js';
import { useAllCatalogs } from '../bookings/catalog.js';
import { userTimeZone } from '../time/zoned.js';
import { LoadState } from '../ui/LoadState.js';
import { NotFoundPage } from '../ui/NotFoundPage.js';

/** Admins watch every vendor's bookings arrive and change, live, and may act on any of them. */
export default function AdminApp({ user }: { user: User }) {
  const catalogs = useAllCatalogs();
  const path = usePath();
  const booking = matchPath(APP_PATHS.booking, path);
  if (booking) return <BookingPage key={booking.id} bookingId={booking.id!} user={user} />;
  if (path === APP_PATHS.profile) return <ProfilePage />;
  if (path !== APP_PATHS.home && path !== APP_PATHS.bookings) return <NotFoundPage />;
  if (!catalogs.data) {
    return (
      <LoadState
        status={catalogs.status === 'error' ? 'error' : 'loading'}
        error={catalogs.error}
        onRetry={catalogs.reload}
        what="vendors"
      />
    );
  }
  return <BookingsPage user={user} catalogs={catalogs.data} title="All bookings, live" timeZone={userTimeZone()} />;
}
