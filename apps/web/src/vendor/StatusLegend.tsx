import { ALL_STATUSES } from '../bookings/booking-status.js';
import { StatusBadge } from '../bookings/StatusBadge.js';

export function StatusLegend() {
  return (
    <details className="legend">
      <summary>Status legend</summary>
      <ul>
        {ALL_STATUSES.map((s) => (
          <li key={s}>
            <StatusBadge status={s} />
          </li>
        ))}
      </ul>
    </details>
  );
}
