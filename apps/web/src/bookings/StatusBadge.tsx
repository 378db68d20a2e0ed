import type { BookingStatus } from '@slotcast/protocol';
import { STATUS_LABEL, STATUS_SYMBOL } from './booking-status.js';

/** Colour, symbol and word together: the word carries the meaning, the rest helps scanning. */
export function StatusBadge({ status }: { status: BookingStatus }) {
  return (
    <span className="status" data-status={status}>
      <span className="status-symbol" aria-hidden="true">
        {STATUS_SYMBOL[status]}
      </span>
      {STATUS_LABEL[status]}
    </span>
  );
}

/** "New" / "Updated" beside a live-highlighted booking, so the highlight is not told by colour or motion alone. */
export function FreshTag({ kind }: { kind: 'new' | 'changed' | undefined }) {
  if (!kind) return null;
  return <span className="fresh-tag">{kind === 'new' ? 'New' : 'Updated'}</span>;
}
