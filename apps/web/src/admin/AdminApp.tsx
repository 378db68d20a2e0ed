import { APP_PATHS, type User } from '@slotcast/protocol';
import { lazy, Suspense } from 'react';
import { BookingPage, ProfilePage } from '../app/lazy-pages.js';
import { matchPath, usePath } from '../app/router.js';
import { BookingsPage } from '../bookings/BookingsPage.js';
import { useAllCatalogs } from '../bookings/catalog.js';
import { userTimeZone } from '../time/zoned.js';
import { LoadState } from '../ui/LoadState.js';
import { NotFoundPage } from '../ui/NotFoundPage.js';
import { OperationsPage } from './operations/OperationsPage.js';

// Charts load with the page that shows them, not with the admin app.
const InsightsPage = lazy(() => import('../insights/InsightsPage.js'));

/** Admins watch every vendor's bookings arrive and change, live, and may act on any of them. */
export default function AdminApp({ user }: { user: User }) {
  const path = usePath();
  const catalogs = useAllCatalogs();
  const booking = matchPath(APP_PATHS.booking, path);
  if (booking) return <BookingPage key={booking.id} bookingId={booking.id!} user={user} />;
  if (path === APP_PATHS.profile) return <ProfilePage />;
  if (path === APP_PATHS.operations) return <OperationsPage />;
  if (path !== APP_PATHS.home && path !== APP_PATHS.bookings && path !== APP_PATHS.insights) return <NotFoundPage />;
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
  if (path === '/insights') {
    const vendors = [...catalogs.data.values()].map((c) => ({ id: c.vendor.id, name: c.vendor.name }));
    return (
      <Suspense fallback={<LoadState status="loading" error={null} onRetry={() => {}} what="insights" />}>
        <InsightsPage vendors={vendors} />
      </Suspense>
    );
  }
  return <BookingsPage user={user} catalogs={catalogs.data} title="All bookings, live" timeZone={userTimeZone()} />;
}
