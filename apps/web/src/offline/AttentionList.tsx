import type { AttentionRow, Choice } from '@slotcast/client';
import { ConflictNotice } from '../bookings/ConflictNotice.js';
import { useLive, useUser } from '../sdk/slotcast-context.js';
import { OFFLINE_COPY } from './offline-copy.js';

/**
 * "Needs your attention": actions the server refused after they were taken offline, each with the booking as the
 * server has it now and the choices the conflict table leaves. Nothing disappears until the user chooses.
 */
export function AttentionList({ rows }: { rows: readonly AttentionRow[] }) {
  const live = useLive();
  const me = useUser();
  const queue = live.offline?.queue;
  if (!queue) return null;

  const choose = async (row: AttentionRow, choice: Choice) => {
    const current = row.current;
    if (current && choice === 'retry' && row.kind !== 'book' && row.kind !== 'mark-read') {
      await live.queueAction(row.payload, current);
    } else if (current && choice === 'cancel') {
      await live.queueAction({ kind: 'cancel' }, current);
    }
    await queue.dismiss(row.seq!);
  };

  return (
    <details className="attention-list" open data-testid="attention-list">
      <summary>{OFFLINE_COPY.attentionCount(rows.length)}</summary>
      {rows.map((row) =>
        row.current && row.kind !== 'mark-read' && row.kind !== 'book' ? (
          <ConflictNotice
            key={row.seq}
            action={row.kind}
            current={row.current}
            me={me.id}
            resourceName=""
            explanation={OFFLINE_COPY.notice[row.reason]}
            choices={row.choices.map((c) => ({ label: OFFLINE_COPY.choice[c], onChoose: () => void choose(row, c) }))}
            onDismiss={() => void queue.dismiss(row.seq!)}
          />
        ) : (
          <div key={row.seq} className="notice notice-warning" role="alert" data-testid="conflict-notice">
            <p className="notice-title">
              {OFFLINE_COPY.actionLabel(row.kind)}: {OFFLINE_COPY.notice[row.reason]}
            </p>
            <button type="button" className="button button-small" onClick={() => void queue.dismiss(row.seq!)}>
              {OFFLINE_COPY.choice.dismiss}
            </button>
          </div>
        ),
      )}
    </details>
  );
}
