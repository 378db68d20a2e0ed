import type { Resource, Service, User } from '@slotcast/protocol';
import { useId, useMemo, useState } from 'react';
import { BookingPanel } from '../bookings/BookingPanel.js';
import { useBookingRange } from '../bookings/use-booking-range.js';
import { addDays, formatLocalDate, startOfWeek, todayIn, zonedInstant } from '../time/zoned.js';
import { LoadState } from '../ui/LoadState.js';
import { PageHeading } from '../ui/PageHeading.js';
import { ScheduleView } from './ScheduleView.js';
import { StatusLegend } from './StatusLegend.js';
import { type Lane, laneKey, nextOpenDay } from './schedule-layout.js';

export function SchedulePage({
  user,
  resources,
  services,
  vendorName,
}: {
  user: User;
  resources: readonly Resource[];
  services: readonly Service[];
  vendorName: string;
}) {
  const tz = resources[0]?.timezone ?? 'UTC';
  const id = useId();
  const [week, setWeek] = useState(false);
  // Opens on the next day the vendor is open: a closed today would show an empty grid.
  const [date, setDate] = useState(() => nextOpenDay(resources, todayIn(tz), addDays));
  const [resourceId, setResourceId] = useState<string>('');
  const [showInactive, setShowInactive] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);

  const first = week ? startOfWeek(date) : date;
  const dates = useMemo(() => Array.from({ length: week ? 7 : 1 }, (_, i) => addDays(first, i)), [first, week]);
  const shownResources = useMemo(
    () => (resourceId ? resources.filter((r) => r.id === resourceId) : resources),
    [resources, resourceId],
  );
  const lanes = useMemo<Lane[]>(
    () => shownResources.flatMap((resource) => dates.map((d) => ({ key: laneKey(resource.id, d), resource, date: d }))),
    [shownResources, dates],
  );
  // A day either side covers resources in other zones than the first.
  const range = useMemo(
    () => ({
      from: new Date(zonedInstant(addDays(dates[0]!, -1), 0, tz)).toISOString(),
      to: new Date(zonedInstant(addDays(dates.at(-1)!, 2), 0, tz)).toISOString(),
    }),
    [dates, tz],
  );
  const { bookings, snapshot, status, error, reload } = useBookingRange(range);
  const step = week ? 7 : 1;
  const title = week
    ? `Week of ${formatLocalDate(dates[0]!)} – ${formatLocalDate(dates.at(-1)!)}`
    : formatLocalDate(date);

  return (
    <div className={`with-panel${selected ? ' has-panel' : ''}`}>
      <div className="main-column">
        <PageHeading>Schedule</PageHeading>
        <p className="muted">
          {vendorName} · times in {tz}
        </p>
        <div className="toolbar">
          <fieldset className="segmented">
            <legend className="visually-hidden">View</legend>
            <button type="button" className="button" aria-pressed={!week} onClick={() => setWeek(false)}>
              Day
            </button>
            <button type="button" className="button" aria-pressed={week} onClick={() => setWeek(true)}>
              Week
            </button>
          </fieldset>
          <div className="button-row">
            <button type="button" className="button" onClick={() => setDate(addDays(date, -step))}>
              <span aria-hidden="true">‹ </span>Previous
              <span className="visually-hidden"> {week ? 'week' : 'day'}</span>
            </button>
            <button type="button" className="button" onClick={() => setDate(todayIn(tz))}>
              Today
            </button>
            <button type="button" className="button" onClick={() => setDate(addDays(date, step))}>
              Next<span className="visually-hidden"> {week ? 'week' : 'day'}</span>
              <span aria-hidden="true"> ›</span>
            </button>
          </div>
          <div className="form-row inline">
            <label htmlFor={`${id}-date`}>Date</label>
            <input
              id={`${id}-date`}
              type="date"
              value={date}
              onChange={(e) => e.target.value && setDate(e.target.value)}
            />
          </div>
          {resources.length > 1 && (
            <div className="form-row inline">
              <label htmlFor={`${id}-res`}>Resource</label>
              <select id={`${id}-res`} value={resourceId} onChange={(e) => setResourceId(e.target.value)}>
                <option value="">All resources</option>
                {resources.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          <label className="checkbox">
            <input type="checkbox" checked={showInactive} onChange={(e) => setShowInactive(e.target.checked)} />
            Show cancelled, declined and expired
          </label>
        </div>
        <h2 className="schedule-title">{title}</h2>
        <LoadState status={status} error={error} onRetry={reload} what="the schedule" />
        <ScheduleView
          lanes={lanes}
          bookings={bookings}
          fresh={snapshot.fresh}
          services={services}
          selectedId={selected}
          onSelect={setSelected}
          showInactive={showInactive}
          week={week}
        />
        <StatusLegend />
      </div>
      {selected && (
        <BookingPanel
          bookingId={selected}
          userRole={user.role}
          me={user.id}
          resources={resources}
          services={services}
          onClose={() => setSelected(null)}
        />
      )}
    </div>
  );
}
