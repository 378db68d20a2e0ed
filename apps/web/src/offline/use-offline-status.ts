import { useSyncExternalStore } from 'react';
import { useLive } from '../sdk/slotcast-context.js';
import type { OfflineSnapshot } from './offline-status.js';

export function useOfflineStatus(): OfflineSnapshot {
  const live = useLive();
  return useSyncExternalStore(live.offlineStatus.subscribe, live.offlineStatus.getSnapshot);
}
