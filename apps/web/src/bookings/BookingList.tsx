import type { Booking, BookingStatus } from '@slotcast/protocol';
import { memo, useEffect, useId, useState } from 'react';
import { formatDate, formatTime } from '../time/zoned.js';
import { shortId } from './BookingPanel.js';
import { ALL_STATUSES, STATUS_LABEL } from './booking-status.js';
import type { Freshness } from './booking-store.js';
import { customerLabel, useCustomer } from './customer-directory.js';
import { FreshTag, StatusBadge } from './StatusBadge.js';

export type StatusFilter = 'all' | 'active' | BookingStatus;

export interface ListFilters {
  status: StatusFilter;
  /** null = every resource. */
  resourceId: string | null;
  /** Matches the service, resource, vendor or customer number. */
  text: string;
}

export const ACTIVE_FILTER: readonly BookingStatus[] = ['requested', 'confirmed', 'checked_in'];

export function applyFilters(
  bookings: readonly Booking[],
  f: ListFilters,
  names: (b: Booking) => { service: string; resource: string; vendor: string },
): Booking[] {
  const text = f.text.trim().toLowerCase();
  return bookings.filter((b) => {
    if (f.status === 'active' ? !ACTIVE_FILTER.includes(b.status) : f.status !== 'all' && b.status !== f.status) {
      return false;
    }
    if (f.resourceId && b.resourceId !== f.resourceId) return false;
    if (!text) return true;
    const n = names(b);
    return `${n.service} ${n.resource} ${n.vendor} #${shortId(b.customerId)}`.toLowerCase().includes(text);
  });
}

export function ListFilterBar({
  filters,
  onChange,
  resources,
  range,
  onRange,
}: {
  filters: ListFilters;
  onChange: (f: ListFilters) => void;
  resources: readonly { id: string; name: string }[];
  range: string;
  onRange: (r: string) => void;
}) {
  const id = useId();
  return (
    <fieldset className="filter-bar">
      <legend className="visually-hidden">Filter bookings</legend>
      <div className="form-row">
        <label htmlFor={`${id}-range`}>When</label>
        <select id={`${id}-range`} value={range} onChange={(e) => onRange(e.target.value)}>
          {Object.entries(RANGES).map(([key, r]) => (
            <option key={key} value={key}>
              {r.label}
            </option>
          ))}
        </select>
      </div>
      <div className="form-row">
        <label htmlFor={`${id}-status`}>Status</label>
        <select
          id={`${id}-status`}
          value={filters.status}
          onChange={(e) => onChange({ ...filters, status: e.target.value as StatusFilter })}
        >
          <option value="all">All statuses</option>
          <option value="active">Active (requested, confirmed, checked in)</option>
          {ALL_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABEL[s]}
            </option>
          ))}
        </select>
      </div>
      {resources.length > 1 && (
        <div className="form-row">
          <label htmlFor={`${id}-resource`}>Resource</label>
          <select
            id={`${id}-resource`}
            value={filters.resourceId ?? ''}
            onChange={(e) => onChange({ ...filters, resourceId: e.target.value || null })}
          >
            <option value="">All resources</option>
            {resources.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="form-row">
        <label htmlFor={`${id}-text`}>Search</label>
        <input
          id={`${id}-text`}
          type="search"
          value={filters.text}
          placeholder="Service, resource, customer #"
          onChange={(e) => onChange({ ...filters, text: e.target.value })}
        />
      </div>
    </fieldset>
  );
}

/** Ranges the list can load, relative to today in the vendor's time zone. */
export const RANGES: Record<string, { label: string; fromDays: number; toDays: number }> = {
  upcoming: { label: 'Today and the next 30 days', fromDays: 0, toDays: 31 },
  today: { label: 'Today', fromDays: 0, toDays: 1 },
  week: { label: 'Next 7 days', fromDays: 0, toDays: 7 },
  past: { label: 'Past 30 days', fromDays: -30, toDays: 1 },
};

export function BookingList({
  bookings,
  fresh,
  names,
  showVendor,
  selectedId,
  onSelect,
  emptyText,
}: {
  bookings: readonly Booking[];
  fresh: ReadonlyMap<string, Freshness>;
  names: (b: Booking) => { service: string; resource: string; vendor: string };
  showVendor: boolean;
  selectedId: string | null;
  onSelect: (id: string) => void;
  emptyText: string;
}) {
  // Rows render a page at a time: a month of a busy vendor is a thousand rows, and drawing them all would hold the
  // first paint (from the offline store at a reload, too) for seconds on a phone. The filters narrow the list.
  const [limit, setLimit] = useState(LIST_PAGE);
  useEffect(() => {
    if (bookings.length > 0) performance.mark('slotcast:list-rendered');
  }, [bookings.length]);
  if (bookings.length === 0) return <p className="empty">{emptyText}</p>;
  const rest = bookings.length - limit;
  return (
    <>
      <table className="booking-table" data-testid="booking-list">
        <caption className="visually-hidden">Bookings, by start time</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Service</th>
            <th scope="col">{showVendor ? 'Vendor · resource' : 'Resource'}</th>
            <th scope="col">Customer</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {bookings.slice(0, limit).map((b) => (
            <BookingRow
              key={b.id}
              booking={b}
              fresh={fresh.get(b.id)}
              names={names(b)}
              showVendor={showVendor}
              selected={b.id === selectedId}
              onSelect={onSelect}
            />
          ))}
        </tbody>
      </table>
      {rest > 0 && (
        <button type="button" className="button" onClick={() => setLimit((l) => l + LIST_PAGE)}>
          Show {Math.min(rest, LIST_PAGE)} more of {rest}
        </button>
      )}
    </>
  );
}

/** Rows drawn at first, and added by each "Show more". */
const LIST_PAGE = 100;

const BookingRow = memo(function BookingRow({
  booking: b,
  fresh,
  names,
  showVendor,
  selected,
  onSelect,
}: {
  booking: Booking;
  fresh: Freshness | undefined;
  names: { service: string; resource: string; vendor: string };
  showVendor: boolean;
  selected: boolean;
  onSelect: (id: string) => void;
}) {
  const tz = b.timezone;
  const customer = useCustomer(b, true);
  return (
    <tr
      className={`booking-row${fresh ? ' row-fresh' : ''}${selected ? ' is-selected' : ''}`}
      data-status={b.status}
      data-booking-id={b.id}
    >
      <td data-label="When">
        {formatDate(b.startAt, tz)}, {formatTime(b.startAt, tz)}–{formatTime(b.endAt, tz)}
      </td>
      <td data-label="Service">
        <button
          type="button"
          className="link-button"
          aria-pressed={selected}
          onClick={() => onSelect(b.id)}
          aria-label={`${names.service}, ${formatDate(b.startAt, tz)} ${formatTime(b.startAt, tz)}: show details`}
        >
          {names.service}
        </button>{' '}
        <FreshTag kind={fresh} />
      </td>
      <td data-label={showVendor ? 'Vendor · resource' : 'Resource'}>
        {showVendor ? `${names.vendor} · ${names.resource}` : names.resource}
      </td>
      <td data-label="Customer" data-testid="booking-customer">
        {customerLabel(customer, b.customerId)}
      </td>
      <td data-label="Status">
        <StatusBadge status={b.status} />
      </td>
    </tr>
  );
});
