import type { AttentionRow, Choice } from '@slotcast/client';
import { navigate } from '../app/router.js';
import { ConflictNotice } from '../bookings/ConflictNotice.js';
import { useLive, useSdk, useUser } from '../sdk/slotcast-context.js';
import { OFFLINE_COPY } from './offline-copy.js';
import { pickAnotherTimePath } from './pick-another-time.js';

/**
 * "Needs your attention": actions the server refused after they were taken offline, each with the booking as the
 * server has it now and the choices the conflict table leaves. Nothing disappears until the user chooses.
 */
export function AttentionList({ rows }: { rows: readonly AttentionRow[] }) {
  const live = useLive();
  const sdk = useSdk();
  const me = useUser();
  const queue = live.offline?.queue;
  if (!queue) return null;

  const choose = async (row: AttentionRow, choice: Choice) => {
    const current = row.current;
    if (choice === 'pick-another-time') {
      // The notice stays until a new time is chosen there (or the user dismisses it).
      const to = await pickAnotherTimePath(row, sdk, live);
      if (to) {
        navigate(to);
        return;
      }
    } else if (current && choice === 'retry' && row.kind !== 'book' && row.kind !== 'mark-read') {
      await live.queueAction(row.payload, current);
    } else if (current && choice === 'cancel') {
      await live.queueAction({ kind: 'cancel' }, current);
    }
    await queue.dismiss(row.seq!);
  };
  const buttons = (row: AttentionRow) =>
    row.choices.map((c) => ({ label: OFFLINE_COPY.choice[c], onChoose: () => void choose(row, c) }));

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
            choices={buttons(row)}
            onDismiss={() => void queue.dismiss(row.seq!)}
          />
        ) : (
          <div key={row.seq} className="notice notice-warning" role="alert" data-testid="conflict-notice">
            <p className="notice-title">
              {OFFLINE_COPY.actionLabel(row.kind)}: {OFFLINE_COPY.notice[row.reason]}
            </p>
            <div className="button-row">
              {(row.choices.length > 0
                ? buttons(row)
                : [{ label: OFFLINE_COPY.choice.dismiss, onChoose: () => void queue.dismiss(row.seq!) }]
              ).map((c) => (
                <button key={c.label} type="button" className="button button-small" onClick={c.onChoose}>
                  {c.label}
                </button>
              ))}
            </div>
          </div>
        ),
      )}
    </details>
  );
}
