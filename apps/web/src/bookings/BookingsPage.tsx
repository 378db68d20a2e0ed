import type { Booking, User } from '@slotcast/protocol';
import { useMemo, useState } from 'react';
import { addDays, todayIn, zonedInstant } from '../time/zoned.js';
import { LoadState } from '../ui/LoadState.js';
import { PageHeading } from '../ui/PageHeading.js';
import { applyFilters, BookingList, ListFilterBar, type ListFilters, RANGES } from './BookingList.js';
import { BookingPanel } from './BookingPanel.js';
import { namesFor, type VendorCatalog } from './catalog.js';
import { useBookingRange } from './use-booking-range.js';

type Names = { service: string; resource: string; vendor: string };

/** A stable name lookup per catalogue set, so memoised rows get the same object for the same booking. */
export function useNamer(catalogs: ReadonlyMap<string, VendorCatalog> | undefined): (b: Booking) => Names {
  return useMemo(() => {
    const cache = new Map<string, Names>();
    return (b: Booking) => {
      const key = `${b.vendorId}|${b.resourceId}|${b.serviceId}`;
      let n = cache.get(key);
      if (!n) cache.set(key, (n = namesFor(catalogs, b)));
      return n;
    };
  }, [catalogs]);
}

/**
 * The filterable list of bookings, live: staff see their vendor's, admins everyone's. Filters apply to the live
 * store, so a booking that changes status moves into or out of the list as it happens.
 */
export function BookingsPage({
  user,
  catalogs,
  title,
  timeZone,
  initialSelected,
}: {
  user: User;
  catalogs: ReadonlyMap<string, VendorCatalog>;
  title: string;
  timeZone: string;
  /** A deep link's booking (`/bookings/:id`), opened in the panel. */
  initialSelected?: string | null;
}) {
  const [rangeKey, setRangeKey] = useState('upcoming');
  const [filters, setFilters] = useState<ListFilters>({ status: 'all', resourceId: null, text: '' });
  const [selected, setSelected] = useState<string | null>(initialSelected ?? null);
  const r = RANGES[rangeKey] ?? RANGES.upcoming!;
  const today = todayIn(timeZone);
  const range = useMemo(
    () => ({
      from: new Date(zonedInstant(addDays(today, r.fromDays), 0, timeZone)).toISOString(),
      to: new Date(zonedInstant(addDays(today, r.toDays), 0, timeZone)).toISOString(),
    }),
    [today, r.fromDays, r.toDays, timeZone],
  );
  const { bookings, snapshot, status, error, reload } = useBookingRange(range);
  const names = useNamer(catalogs);
  const shown = useMemo(() => applyFilters(bookings, filters, names), [bookings, filters, names]);
  const multiVendor = catalogs.size > 1 && user.role === 'admin';
  const resources = useMemo(() => [...catalogs.values()].flatMap((c) => c.resources), [catalogs]);
  const services = useMemo(() => [...catalogs.values()].flatMap((c) => c.services), [catalogs]);
  const selectedBooking = selected ? snapshot.byId.get(selected) : undefined;

  return (
    <div className={`with-panel${selected ? ' has-panel' : ''}`}>
      <div className="main-column">
        <PageHeading>{title}</PageHeading>
        <ListFilterBar
          filters={filters}
          onChange={setFilters}
          resources={resources}
          range={rangeKey}
          onRange={setRangeKey}
        />
        <p className="muted" aria-live="polite">
          {status === 'ready' ? `${shown.length} of ${bookings.length} bookings shown` : ''}
        </p>
        <LoadState status={status} error={error} onRetry={reload} what="bookings" />
        {status !== 'loading' && (
          <BookingList
            bookings={shown}
            fresh={snapshot.fresh}
            names={names}
            showVendor={multiVendor}
            selectedId={selected}
            onSelect={setSelected}
            emptyText="No bookings match these filters."
          />
        )}
      </div>
      {selected && (
        <BookingPanel
          bookingId={selected}
          userRole={user.role}
          me={user.id}
          resources={resources}
          services={services}
          vendorName={multiVendor && selectedBooking ? catalogs.get(selectedBooking.vendorId)?.vendor.name : undefined}
          onClose={() => setSelected(null)}
        />
      )}
    </div>
  );
}
