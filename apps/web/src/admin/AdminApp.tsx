import type { User } from '@slotcast/protocol';
import { BookingsPage } from '../bookings/BookingsPage.js';
import { useAllCatalogs } from '../bookings/catalog.js';
import { userTimeZone } from '../time/zoned.js';
import { LoadState } from '../ui/LoadState.js';

/** Admins watch every vendor's bookings arrive and change, live, and may act on any of them. */
export default function AdminApp({ user }: { user: User }) {
  const catalogs = useAllCatalogs();
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
