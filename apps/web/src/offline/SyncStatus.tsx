import type { SlotcastClient } from '@slotcast/client';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { useLive } from '../sdk/slotcast-context.js';
import { AttentionList } from './AttentionList.js';
import { OFFLINE_COPY, STALE_AFTER_MS } from './offline-copy.js';
import { useOfflineStatus } from './use-offline-status.js';
import { useOnline } from './use-online.js';
import './offline.css';

/** Re-renders every minute, so "stale" appears without another change. */
function useMinute(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(t);
  }, []);
  return now;
}

/** The app-wide sync state: offline with N changes waiting, sending, catching up, or up to date as of a time. */
export function SyncStatus({ sdk }: { sdk: SlotcastClient }) {
  const live = useLive();
  const { pending, attention, syncedAt, catchingUp } = useOfflineStatus();
  const online = useOnline();
  const connection = useSyncExternalStore(sdk.realtime.subscribeState, sdk.realtime.getState);
  const now = useMinute();
  if (!live.offline) return null;
  const connected = connection.status === 'connected' || connection.status === 'polling-fallback';

  let text: string;
  let state: string;
  if (!online || !connected) {
    state = 'offline';
    text = OFFLINE_COPY.offline(pending.length);
    if (syncedAt !== null && now - syncedAt > STALE_AFTER_MS) text += ` · ${OFFLINE_COPY.stale(syncedAt)}`;
  } else if (pending.length > 0) {
    state = 'sending';
    text = OFFLINE_COPY.sending(pending.length);
  } else if (catchingUp) {
    state = 'catching-up';
    text = OFFLINE_COPY.catchingUp;
  } else {
    state = 'synced';
    text = OFFLINE_COPY.upToDate(syncedAt);
  }
  return (
    <div className="sync-status" data-testid="sync-status" data-state={state}>
      <span role="status">{text}</span>
      {attention.length > 0 && <AttentionList rows={attention} />}
    </div>
  );
}
