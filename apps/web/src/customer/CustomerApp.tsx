import { APP_PATHS } from '@slotcast/protocol';
import { BookingPage, ProfilePage } from '../app/lazy-pages.js';
import { matchPath, usePath } from '../app/router.js';
import { useSessionState } from '../sdk/slotcast-context.js';
import { NotFoundPage } from '../ui/NotFoundPage.js';
import { BookFlow } from './BookFlow.js';
import { MyBookings } from './MyBookings.js';
import { VendorDirectory } from './VendorDirectory.js';

/** The customer app (mobile first): browse, book, and follow one's bookings live. */
export default function CustomerApp() {
  const path = usePath();
  const { user } = useSessionState();
  const vendor = matchPath(APP_PATHS.vendor, path);
  if (vendor) return <BookFlow key={vendor.id} vendorId={vendor.id!} />;
  const booking = matchPath(APP_PATHS.booking, path);
  if (booking && user) return <BookingPage key={booking.id} bookingId={booking.id!} user={user} />;
  if (path === APP_PATHS.bookings) return <MyBookings />;
  if (path === APP_PATHS.profile) return <ProfilePage />;
  if (path === APP_PATHS.home) return <VendorDirectory />;
  return <NotFoundPage />;
}
