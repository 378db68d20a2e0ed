import { matchPath, usePath } from '../app/router.js';
import { BookFlow } from './BookFlow.js';
import { MyBookings } from './MyBookings.js';
import { VendorDirectory } from './VendorDirectory.js';

/** The customer app (mobile first): browse, book, and follow one's bookings live. */
export default function CustomerApp() {
  const path = usePath();
  const vendor = matchPath('/vendors/:id', path);
  if (vendor) return <BookFlow key={vendor.id} vendorId={vendor.id!} />;
  if (path === '/bookings') return <MyBookings />;
  // A notification's deep link: the bookings screen with that booking brought into view.
  const booking = matchPath('/bookings/:id', path);
  if (booking) return <MyBookings focusId={booking.id} />;
  return <VendorDirectory />;
}
