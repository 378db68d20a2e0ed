import type { Booking, Service } from '@slotcast/protocol';
import { memo, useMemo, useRef } from 'react';
import { ACTIVE, STATUS_LABEL, STATUS_SYMBOL } from '../bookings/booking-status.js';
import type { Freshness } from '../bookings/booking-store.js';
import { customerLabel, useCustomer } from '../bookings/customer-directory.js';
import './schedule-customer.css';
import { PendingTag } from '../offline/PendingTag.js';
import { formatLocalDate, formatMinutes } from '../time/zoned.js';
import {
  freshByLane,
  type Lane,
  openIntervals,
  type Placed,
  placeBookings,
  reusePlacement,
  visibleHours,
} from './schedule-layout.js';

const PX_PER_MIN = 1.2;

export interface ScheduleViewProps {
  lanes: readonly Lane[];
  bookings: readonly Booking[];
  fresh: ReadonlyMap<string, Freshness>;
  services: readonly Service[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  /** Also draw cancelled, declined and expired bookings (they no longer hold their time). */
  showInactive: boolean;
  /** Day view: one lane per resource; week view: seven per resource. */
  week: boolean;
}

/**
 * A day or week grid per resource, in each resource's own time zone. Lanes and hours are computed from the bookings
 * in view; blocks are memoised by booking object, so a live update re-renders the one block that changed.
 */
export function ScheduleView({
  lanes,
  bookings,
  fresh,
  services,
  selectedId,
  onSelect,
  showInactive,
  week,
}: ScheduleViewProps) {
  const shown = useMemo(
    () =>
      showInactive
        ? bookings
        : bookings.filter((b) => ACTIVE.includes(b.status) || b.status === 'completed' || b.status === 'no_show'),
    [bookings, showInactive],
  );
  const previous = useRef<Map<string, Placed[]> | null>(null);
  const placed = useMemo(() => {
    const next = reusePlacement(previous.current, placeBookings(shown, lanes));
    previous.current = next;
    return next;
  }, [shown, lanes]);
  const previousFresh = useRef<Map<string, ReadonlyMap<string, Freshness>> | null>(null);
  const laneFresh = useMemo(() => {
    const next = freshByLane(placed, fresh, previousFresh.current);
    previousFresh.current = next;
    return next;
  }, [placed, fresh]);
  const hours = useMemo(() => visibleHours(lanes), [lanes]);
  const serviceNames = useMemo(() => new Map(services.map((s) => [s.id, s.name])), [services]);
  const height = (hours.to - hours.from) * PX_PER_MIN;

  return (
    // A focusable scroll region: keyboard users can scroll a wide week with the arrow keys.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
    <section className="schedule-scroll" aria-label="Schedule" tabIndex={0}>
      <div
        className={`schedule-grid${week ? ' is-week' : ''}`}
        style={{ gridTemplateColumns: `3.5rem repeat(${lanes.length}, minmax(${week ? '7.5rem' : '11rem'}, 1fr))` }}
        data-testid="schedule"
      >
        <ScheduleFrame lanes={lanes} from={hours.from} to={hours.to} />
        {lanes.map((lane) => (
          <LaneColumn
            key={lane.key}
            lane={lane}
            items={placed.get(lane.key) ?? NO_ITEMS}
            hoursFrom={hours.from}
            hoursTo={hours.to}
            height={height}
            fresh={laneFresh.get(lane.key) ?? NO_FRESH}
            serviceNames={serviceNames}
            selectedId={selectedId}
            onSelect={onSelect}
          />
        ))}
      </div>
    </section>
  );
}

const NO_FRESH: ReadonlyMap<string, Freshness> = new Map();
const NO_ITEMS: readonly Placed[] = [];

/** Corner, lane headers and time axis: they depend on the lanes only, so live updates skip them. */
const ScheduleFrame = memo(function ScheduleFrame({
  lanes,
  from,
  to,
}: {
  lanes: readonly Lane[];
  from: number;
  to: number;
}) {
  const marks: number[] = [];
  for (let m = from; m < to; m += 60) marks.push(m);
  return (
    <>
      <div className="schedule-corner" aria-hidden="true" />
      {lanes.map((lane) => (
        <div key={lane.key} className="lane-head">
          <span className="lane-resource">{lane.resource.name}</span>
          <span className="lane-date">{formatLocalDate(lane.date)}</span>
        </div>
      ))}
      <div className="time-axis" style={{ height: (to - from) * PX_PER_MIN }} aria-hidden="true">
        {marks.map((m) => (
          <span key={m} style={{ top: (m - from) * PX_PER_MIN }}>
            {formatMinutes(m)}
          </span>
        ))}
      </div>
    </>
  );
});

/** Memoised: a live update re-renders the lanes whose bookings or highlights changed, not all of them. */
const LaneColumn = memo(function LaneColumn({
  lane,
  items,
  hoursFrom,
  hoursTo,
  height,
  fresh,
  serviceNames,
  selectedId,
  onSelect,
}: {
  lane: Lane;
  items: readonly { booking: Booking; start: number; end: number }[];
  hoursFrom: number;
  hoursTo: number;
  height: number;
  fresh: ReadonlyMap<string, Freshness>;
  serviceNames: ReadonlyMap<string, string>;
  selectedId: string | null;
  onSelect: (id: string) => void;
}) {
  const closed = useMemo(() => closedSpans(lane, hoursFrom, hoursTo), [lane, hoursFrom, hoursTo]);
  const label = `${lane.resource.name}, ${formatLocalDate(lane.date)}`;
  return (
    <section className="lane" style={{ height, backgroundSize: `100% ${60 * PX_PER_MIN}px` }} aria-label={label}>
      {closed.map((c) => (
        <div
          key={c.start}
          className="lane-closed"
          style={{ top: (c.start - hoursFrom) * PX_PER_MIN, height: (c.end - c.start) * PX_PER_MIN }}
          aria-hidden="true"
        />
      ))}
      {items.length === 0 ? (
        <p className="visually-hidden">No bookings</p>
      ) : (
        <ul className="lane-items">
          {items.map(({ booking, start, end }) => (
            <ScheduleBlock
              key={booking.id}
              booking={booking}
              top={(Math.max(start, hoursFrom) - hoursFrom) * PX_PER_MIN}
              height={Math.max(18, (Math.min(end, hoursTo) - Math.max(start, hoursFrom)) * PX_PER_MIN - 2)}
              start={start}
              end={end}
              serviceName={serviceNames.get(booking.serviceId) ?? 'Booking'}
              fresh={fresh.get(booking.id)}
              selected={booking.id === selectedId}
              onSelect={onSelect}
            />
          ))}
        </ul>
      )}
    </section>
  );
});

const ScheduleBlock = memo(function ScheduleBlock({
  booking,
  top,
  height,
  start,
  end,
  serviceName,
  fresh,
  selected,
  onSelect,
}: {
  booking: Booking;
  top: number;
  height: number;
  start: number;
  end: number;
  serviceName: string;
  fresh: Freshness | undefined;
  selected: boolean;
  onSelect: (id: string) => void;
}) {
  const time = `${formatMinutes(start)}–${formatMinutes(end % (24 * 60))}`;
  const customer = useCustomer(booking, true);
  return (
    <li className="block-item" style={{ top, height }}>
      <button
        type="button"
        className={`block${fresh ? ' is-fresh' : ''}${selected ? ' is-selected' : ''}`}
        data-status={booking.status}
        data-booking-id={booking.id}
        aria-pressed={selected}
        onClick={() => onSelect(booking.id)}
      >
        <span className="block-time">{time}</span>
        <span className="block-title">
          {serviceName}
          <span className="block-customer">{customerLabel(customer, booking.customerId)}</span>
        </span>
        <span className="block-status">
          <span aria-hidden="true">{STATUS_SYMBOL[booking.status]} </span>
          {STATUS_LABEL[booking.status]}
          {fresh && <span className="fresh-tag">{fresh === 'new' ? 'New' : 'Updated'}</span>}
        </span>
        <PendingTag bookingId={booking.id} />
      </button>
    </li>
  );
});

function closedSpans(lane: Lane, from: number, to: number): { start: number; end: number }[] {
  const open = openIntervals(lane).sort((a, b) => a.start - b.start);
  const out: { start: number; end: number }[] = [];
  let t = from;
  for (const o of open) {
    if (o.start > t) out.push({ start: t, end: Math.min(o.start, to) });
    t = Math.max(t, o.end);
  }
  if (t < to) out.push({ start: t, end: to });
  return out.filter((c) => c.end > c.start);
}
