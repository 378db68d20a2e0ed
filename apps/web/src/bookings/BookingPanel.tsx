import type { Booking, Resource, Role, Service, Vendor } from '@slotcast/protocol';
import { type FormEvent, useEffect, useId, useRef, useState, useSyncExternalStore } from 'react';
import { Link } from '../app/router.js';
import { PendingTag } from '../offline/PendingTag.js';
import { useLive } from '../sdk/slotcast-context.js';
import { useNowPast } from '../time/use-now-past.js';
import { formatDate, formatTime } from '../time/zoned.js';
import {
  ACTION_LABEL,
  actionsFor,
  closedActions,
  customerCutoffs,
  describeActor,
  type UiAction,
} from './booking-status.js';
import { ConflictNotice } from './ConflictNotice.js';
import { CustomerContact } from './CustomerContact.js';
import { useCustomer } from './customer-directory.js';
import { RescheduleForm } from './RescheduleForm.js';
import { FreshTag, StatusBadge } from './StatusBadge.js';
import { useBookingAction } from './use-booking-action.js';

export const shortId = (id: string) => id.slice(0, 6);

/**
 * One booking with the actions its status allows, for staff and admins. It reads the booking from the live store, so
 * a change made elsewhere shows up here while it is open; every action says how it went.
 */
export function BookingPanel({
  bookingId,
  userRole: role,
  me,
  resources,
  services,
  vendorName,
  onClose,
}: {
  bookingId: string;
  userRole: Role;
  me: string;
  resources: readonly Resource[];
  services: readonly Service[];
  vendorName?: string;
  onClose: () => void;
}) {
  const live = useLive();
  const snapshot = useSyncExternalStore(live.bookings.subscribe, live.bookings.getSnapshot);
  const booking = snapshot.byId.get(bookingId);
  const customer = useCustomer(booking, true);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const id = useId();

  // Move focus to the panel when it opens on another booking, so keyboard and screen reader users land on it.
  useEffect(() => {
    headingRef.current?.focus();
  }, [bookingId]);

  if (!booking) {
    return (
      <section className="panel" aria-label="Booking">
        <p>This booking is not loaded.</p>
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </section>
    );
  }
  const service = services.find((s) => s.id === booking.serviceId);
  const resource = resources.find((r) => r.id === booking.resourceId);
  const tz = booking.timezone;

  return (
    <section className="panel booking-panel" aria-labelledby={`${id}-h`} data-testid="booking-panel">
      <div className="panel-head">
        <h2 id={`${id}-h`} tabIndex={-1} ref={headingRef}>
          {service?.name ?? 'Booking'} · {formatTime(booking.startAt, tz)}
        </h2>
        <Link to={`/bookings/${booking.id}`} className="button button-small">
          Open<span className="visually-hidden"> booking page</span>
        </Link>
        <button type="button" className="button button-small" onClick={onClose}>
          Close<span className="visually-hidden"> booking details</span>
        </button>
      </div>
      <p>
        <StatusBadge status={booking.status} /> <FreshTag kind={snapshot.fresh.get(booking.id)} />{' '}
        {live.offline && <PendingTag bookingId={booking.id} />}
      </p>
      <dl className="facts">
        <dt>When</dt>
        <dd>
          {formatDate(booking.startAt, tz)}, {formatTime(booking.startAt, tz)}–{formatTime(booking.endAt, tz)}{' '}
          <span className="muted">({tz})</span>
        </dd>
        <dt>Where</dt>
        <dd>
          {resource?.name ?? 'Resource'}
          {vendorName ? ` · ${vendorName}` : ''}
        </dd>
        <dt>Customer</dt>
        <dd data-testid="panel-customer">
          <CustomerContact customer={customer} customerId={booking.customerId} />
        </dd>
        {booking.note && (
          <>
            <dt>Note</dt>
            <dd>{booking.note}</dd>
          </>
        )}
        {booking.statusReason && (
          <>
            <dt>Reason</dt>
            <dd>{booking.statusReason}</dd>
          </>
        )}
        <dt>Last change</dt>
        <dd>
          {describeActor(booking.updatedBy, me)}, {formatTime(booking.updatedAt, tz)}
        </dd>
      </dl>
      <BookingActions
        key={booking.id}
        booking={booking}
        userRole={role}
        me={me}
        resources={resources}
        service={service}
        resourceName={resource?.name ?? 'Resource'}
      />
    </section>
  );
}

export type Form = null | 'decline' | 'cancel' | 'reschedule';

export function BookingActions({
  booking,
  userRole: role,
  me,
  resources,
  service,
  resourceName,
  openForm = null,
  onRescheduled,
  vendor,
}: {
  booking: Booking;
  userRole: Role;
  me: string;
  resources: readonly Resource[];
  service: Service | undefined;
  resourceName: string;
  /** A form open from the start ("Pick another time" opens the reschedule form). */
  openForm?: Form;
  /** The reschedule was applied or queued. */
  onRescheduled?: () => void;
  /** A customer's view: the vendor whose cut-offs close the customer's own cancel and move (hidden after them). */
  vendor?: Vendor | undefined;
}) {
  const { run, pending, result, clear } = useBookingAction(booking);
  const [form, setForm] = useState<Form>(openForm);
  // Opened again for a form (a second "Pick another time" on this page): show it.
  useEffect(() => {
    if (openForm) setForm(openForm);
  }, [openForm]);
  const [reason, setReason] = useState('');
  const id = useId();
  const cutoffs = role === 'customer' && vendor ? customerCutoffs(booking.startAt, vendor) : null;
  // One before the start: from the start itself a no-show is possible.
  const startsAt = Date.parse(booking.startAt);
  const now = useNowPast(cutoffs ? [cutoffs.cancel, cutoffs.reschedule, startsAt - 1] : [startsAt - 1]);
  const closed = closedActions(cutoffs, now, booking.startAt);
  const actions = actionsFor(booking.status, role, closed);
  // A form whose cut-off passed while it was open goes; the line below says why.
  const shownForm = form !== null && closed.has(form) ? null : form;
  const closedNote =
    vendor &&
    (closed.has('cancel') || closed.has('reschedule')) &&
    (booking.status === 'requested' || booking.status === 'confirmed');
  // A failed action moves focus to its error: read out, and in view even below a long form.
  const errorRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (result?.kind === 'error') errorRef.current?.focus();
  }, [result]);

  const start = (action: UiAction) => {
    if (action === 'decline' || action === 'cancel' || action === 'reschedule') {
      clear();
      setReason('');
      setForm(action);
    } else {
      void run(action);
    }
  };
  const submitReason = async (e: FormEvent) => {
    e.preventDefault();
    if (form !== 'decline' && form !== 'cancel') return;
    if (await run(form, { reason })) setForm(null);
  };

  return (
    <div className="booking-actions">
      {shownForm === null && actions.length > 0 && (
        <div className="button-row">
          {actions.map((a) => (
            <button
              key={a}
              type="button"
              className={`button ${a === 'confirm' || a === 'check-in' || a === 'complete' ? 'button-primary' : ''} ${a === 'decline' || a === 'cancel' || a === 'no-show' ? 'button-danger' : ''}`}
              disabled={pending !== null}
              onClick={() => start(a)}
            >
              {pending === a ? `${ACTION_LABEL[a]}…` : ACTION_LABEL[a]}
            </button>
          ))}
        </div>
      )}
      {shownForm === null && actions.length === 0 && !closedNote && (
        <p className="muted">No further changes are possible.</p>
      )}
      {closedNote && (
        <p className="muted" data-testid="changes-closed">
          {closed.has('cancel') && closed.has('reschedule')
            ? `To cancel or move it now, contact ${vendor.name} directly.`
            : closed.has('cancel')
              ? `To cancel it now, contact ${vendor.name} directly.`
              : `To move it now, contact ${vendor.name} directly.`}
        </p>
      )}
      {(shownForm === 'decline' || shownForm === 'cancel') && (
        <form className="inline-form" onSubmit={submitReason}>
          <div className="form-row">
            <label htmlFor={`${id}-reason`}>
              {shownForm === 'decline' ? 'Reason for declining (the customer sees it)' : 'Reason (optional)'}
            </label>
            <textarea
              id={`${id}-reason`}
              value={reason}
              required={shownForm === 'decline'}
              maxLength={500}
              rows={2}
              onChange={(e) => setReason(e.target.value)}
            />
          </div>
          <div className="button-row">
            <button type="submit" className="button button-danger" disabled={pending !== null}>
              {shownForm === 'decline' ? 'Decline booking' : 'Cancel booking'}
            </button>
            <button type="button" className="button" onClick={() => setForm(null)}>
              Back
            </button>
          </div>
        </form>
      )}
      {shownForm === 'reschedule' && (
        <RescheduleForm
          booking={booking}
          resources={resources}
          service={service}
          pending={pending === 'reschedule'}
          forCustomer={role === 'customer'}
          onCancel={() => setForm(null)}
          onSubmit={async (input) => {
            if (await run('reschedule', input)) {
              setForm(null);
              onRescheduled?.();
            }
          }}
        />
      )}
      <div role="status" className="action-result" data-testid="action-result">
        {result?.kind === 'ok' && (
          <span className="result-ok">
            <span aria-hidden="true">✓ </span>
            {result.text}
          </span>
        )}
        {result?.kind === 'queued' && <span className="result-queued">{result.text}</span>}
      </div>
      {result?.kind === 'error' && (
        <p className="notice notice-error" role="alert" tabIndex={-1} ref={errorRef}>
          <span aria-hidden="true">✕ </span>
          {ACTION_LABEL[result.action]} failed: {result.text}
        </p>
      )}
      {result?.kind === 'conflict' && (
        <ConflictNotice
          action={result.action}
          current={result.current}
          me={me}
          resourceName={resourceName}
          onDismiss={clear}
        />
      )}
    </div>
  );
}
