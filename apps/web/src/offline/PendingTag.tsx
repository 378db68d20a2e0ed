import { OFFLINE_COPY } from './offline-copy.js';
import { useOfflineStatus } from './use-offline-status.js';

/** A booking's sync state: its waiting or sending action, or that the server refused one. Nothing once synced. */
export function PendingTag({ bookingId }: { bookingId: string }) {
  const { pending, attention } = useOfflineStatus();
  const waiting = pending.filter((a) => a.bookingId === bookingId);
  const refused = attention.some((a) => a.bookingId === bookingId);
  if (waiting.length === 0 && !refused) return null;
  return (
    <span className="sync-tags" data-testid="sync-tag">
      {waiting.map((a) => (
        <span key={a.seq} className={`sync-tag sync-${a.state}`} data-state={a.state}>
          {a.state === 'syncing' ? OFFLINE_COPY.syncing(a.kind) : OFFLINE_COPY.pending(a.kind)}
        </span>
      ))}
      {refused && (
        <span className="sync-tag sync-attention" data-state="attention">
          {OFFLINE_COPY.needsAttention}
        </span>
      )}
    </span>
  );
}
