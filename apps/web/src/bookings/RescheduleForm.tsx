import type { Booking, Resource, Service } from '@slotcast/protocol';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useSdk } from '../sdk/slotcast-context.js';
import { formatTime, zonedParts } from '../time/zoned.js';
import { describeError } from '../ui/describe-error.js';
import { useAsync } from '../ui/use-async.js';

/** Pick a new resource, day and free slot for a booking; the slots come from the server's availability. */
export function RescheduleForm({
  booking,
  resources,
  service,
  pending,
  onSubmit,
  onCancel,
  forCustomer = false,
}: {
  booking: Booking;
  /** A customer moves their own booking: no resource choice, and the note goes to the vendor. */
  forCustomer?: boolean;
  resources: readonly Resource[];
  service: Service | undefined;
  pending: boolean;
  onSubmit: (input: { startAt: string; resourceId: string; reason?: string }) => void;
  onCancel: () => void;
}) {
  const sdk = useSdk();
  const id = useId();
  const eligible = resources.filter((r) => service?.resourceIds.includes(r.id) ?? r.id === booking.resourceId);
  const [resourceId, setResourceId] = useState(booking.resourceId);
  const [date, setDate] = useState(() => zonedParts(booking.startAt, booking.timezone).date);
  const [startAt, setStartAt] = useState('');
  const [reason, setReason] = useState('');
  const resource = eligible.find((r) => r.id === resourceId);
  const tz = resource?.timezone ?? booking.timezone;

  const [tick, setTick] = useState(0);
  const [lost, setLost] = useState<string | null>(null);
  const lostRef = useRef<HTMLParagraphElement>(null);

  // Free times follow the resource's schedule live: another booking there reads them again at once.
  useEffect(() => {
    const target = { kind: 'resource' as const, id: resourceId };
    void sdk.realtime.follow(target);
    const off = sdk.realtime.on('scheduleChanged', (info) => {
      if (info.resourceId === resourceId) setTick((n) => n + 1);
    });
    return () => {
      off();
      void sdk.realtime.unfollow(target);
    };
  }, [sdk, resourceId]);

  const slots = useAsync(
    (signal) =>
      sdk.api.resources
        // Its own time counts as free (it may move a quarter of an hour onto its old interval); its current start is
        // no move at all.
        .availability(
          resourceId,
          { serviceId: booking.serviceId, from: date, to: date, moving: booking.id },
          { signal },
        )
        .then((a) => a.slots.filter((s) => !(resourceId === booking.resourceId && s.startAt === booking.startAt))),
    [sdk, resourceId, date, booking.serviceId, tick],
  );

  // A time taken meanwhile disappears from the list; if it was the chosen one, say so where the eye is.
  useEffect(() => {
    // While our own move is on its way, its own schedule notice would make the chosen time look taken.
    if (!startAt || pending || slots.status !== 'ready') return;
    if (slots.data.some((s) => s.startAt === startAt)) return;
    setLost(`${formatTime(startAt, tz)} was just taken by someone else. Please pick another time.`);
    setStartAt('');
  }, [slots.status, slots.data, startAt, tz, pending]);
  useEffect(() => {
    if (lost) lostRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [lost]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!startAt) return;
    onSubmit({ startAt, resourceId, ...(reason.trim() ? { reason: reason.trim() } : {}) });
  };

  return (
    <form className="inline-form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>Reschedule</h4>
      <div className="form-row" hidden={forCustomer && eligible.length < 2}>
        <label htmlFor={`${id}-resource`}>{forCustomer ? 'Where' : 'Resource'}</label>
        <select
          id={`${id}-resource`}
          value={resourceId}
          onChange={(e) => {
            setResourceId(e.target.value);
            setStartAt('');
          }}
        >
          {eligible.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </div>
      <div className="form-row">
        <label htmlFor={`${id}-date`}>Day ({tz})</label>
        <input
          id={`${id}-date`}
          type="date"
          value={date}
          required
          onChange={(e) => {
            setDate(e.target.value);
            setStartAt('');
          }}
        />
      </div>
      <fieldset className="form-row">
        <legend>Free times</legend>
        <p className="notice notice-warning slot-lost" role="status" ref={lostRef} hidden={!lost}>
          {lost}
        </p>
        {slots.status === 'loading' && slots.data === undefined && <p className="muted">Loading free times…</p>}
        {slots.status === 'error' && <p className="error-text">{describeError(slots.error)}</p>}
        {slots.data?.length === 0 && <p className="muted">No free times that day.</p>}
        {slots.data !== undefined && slots.data.length > 0 && (
          <div className="slot-grid">
            {slots.data.map((s) => (
              <label key={s.startAt} className="slot-choice">
                <input
                  type="radio"
                  name={`${id}-slot`}
                  value={s.startAt}
                  checked={startAt === s.startAt}
                  onChange={() => {
                    setLost(null);
                    setStartAt(s.startAt);
                  }}
                />
                <span>{formatTime(s.startAt, tz)}</span>
              </label>
            ))}
          </div>
        )}
      </fieldset>
      <div className="form-row">
        <label htmlFor={`${id}-reason`}>
          {forCustomer ? 'Note to the vendor (optional)' : 'Note to the customer (optional)'}
        </label>
        <input id={`${id}-reason`} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
      </div>
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={!startAt || pending}>
          {pending ? 'Moving…' : 'Move booking'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Back
        </button>
      </div>
    </form>
  );
}
