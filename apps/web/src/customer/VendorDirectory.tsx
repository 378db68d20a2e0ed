import { Link } from '../app/router.js';
import { useVendors } from '../bookings/catalog.js';
import { LoadState } from '../ui/LoadState.js';
import { PageHeading } from '../ui/PageHeading.js';

export function cutoffText(minutes: number): string {
  return minutes === 0 ? 'up to the start' : `up to ${spanText(minutes)} before`;
}

/** "4 hours", "1 day", "90 minutes". */
export function spanText(minutes: number): string {
  if (minutes > 0 && minutes % 1440 === 0) return `${minutes / 1440} day${minutes === 1440 ? '' : 's'}`;
  if (minutes > 0 && minutes % 60 === 0) return `${minutes / 60} hour${minutes === 60 ? '' : 's'}`;
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** Step one for a customer: where to book. */
export function VendorDirectory() {
  const vendors = useVendors();
  return (
    <>
      <PageHeading>Book an appointment</PageHeading>
      <p className="lead">Pick a place, then a service and a time that suits you.</p>
      <LoadState status={vendors.status} error={vendors.error} onRetry={vendors.reload} what="places to book" />
      {vendors.data && (
        <ul className="card-list">
          {vendors.data.map((v) => (
            <li key={v.id} className="card">
              <h2 className="card-title">
                <Link to={`/vendors/${v.id}`} className="card-link">
                  {v.name}
                </Link>
              </h2>
              <p className="muted">
                {v.autoConfirm ? 'Bookings are confirmed instantly.' : 'Bookings are requests; the staff confirm them.'}{' '}
                Free cancellation {cutoffText(v.cancellationCutoffMinutes)}.
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
