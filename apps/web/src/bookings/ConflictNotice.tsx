import type { Booking } from '@slotcast/protocol';
import { formatDate, formatTime } from '../time/zoned.js';
import { ACTION_LABEL, describeActor, type UiAction } from './booking-status.js';
import { StatusBadge } from './StatusBadge.js';

/**
 * 409 BOOKING_VERSION_CONFLICT, explained: someone changed the booking between the moment it was shown and the click.
 * Nothing was applied; here is the booking as it is now, and the actions that fit it are offered again. For an action
 * queued offline and refused later, `explanation` says what the conflict table decided and `choices` are the ones
 * it leaves.
 */
export function ConflictNotice({
  action,
  current,
  me,
  resourceName,
  onDismiss,
  explanation,
  choices,
}: {
  action: UiAction;
  current: Booking;
  me: string | null;
  resourceName: string;
  onDismiss: () => void;
  explanation?: string;
  choices?: readonly { label: string; onChoose: () => void }[];
}) {
  const when = `${formatDate(current.startAt, current.timezone)}, ${formatTime(current.startAt, current.timezone)}–${formatTime(current.endAt, current.timezone)}`;
  return (
    <div className="notice notice-warning" role="alert" data-testid="conflict-notice">
      <p className="notice-title">
        <span aria-hidden="true">⚠ </span>
        {explanation ? (
          <>
            “{ACTION_LABEL[action]}”: {explanation}
          </>
        ) : (
          <>
            This booking was changed {describeActor(current.updatedBy, me, { elsewhere: true })} before your “
            {ACTION_LABEL[action]}” reached the server, so your change was not applied.
          </>
        )}
      </p>
      <p>Here is what it is now:</p>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <StatusBadge status={current.status} />
        </dd>
        <dt>When</dt>
        <dd>{when}</dd>
        {resourceName && (
          <>
            <dt>Where</dt>
            <dd>{resourceName}</dd>
          </>
        )}
        {current.statusReason && (
          <>
            <dt>Reason</dt>
            <dd>{current.statusReason}</dd>
          </>
        )}
        <dt>Version</dt>
        <dd>{current.version}</dd>
      </dl>
      {choices ? (
        <div className="button-row">
          {choices.map((c) => (
            <button key={c.label} type="button" className="button button-small" onClick={c.onChoose}>
              {c.label}
            </button>
          ))}
        </div>
      ) : (
        <>
          <p>The actions offered below now match this state; choose again if your change still makes sense.</p>
          <button type="button" className="button button-small" onClick={onDismiss}>
            Understood
          </button>
        </>
      )}
    </div>
  );
}
