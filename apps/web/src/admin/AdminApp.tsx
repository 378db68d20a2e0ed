import type { User } from '@slotcast/protocol';
import { usePath } from '../app/router.js';
import { BookingsPage } from '../bookings/BookingsPage.js';
import { useAllCatalogs } from '../bookings/catalog.js';
import { userTimeZone } from '../time/zoned.js';
import { LoadState } from '../ui/LoadState.js';
import { OperationsPage } from './operations/OperationsPage.js';

/** Admins watch every vendor's bookings arrive and change, live, and may act on any of them. */
export default function AdminApp({ user }: { user: User }) {
  const path = usePath();
  const catalogs = useAllCatalogs();
  if (path === '/operations') return <OperationsPage />;
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
