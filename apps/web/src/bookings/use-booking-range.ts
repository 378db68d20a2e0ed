import type { Booking } from '@slotcast/protocol';
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { useLive, useSdk } from '../sdk/slotcast-context.js';
import { useAsync } from '../ui/use-async.js';
import { type BookingSnapshot, byStart } from './booking-store.js';

export interface BookingRange {
  /** ISO instants, [from, to). */
  from: string;
  to: string;
}

/**
 * The bookings starting in a range: read over REST into the live store (page by page), read again after a gap, and
 * from then on kept current by live events, including bookings that move into or out of the range.
 */
export function useBookingRange(range: BookingRange): {
  bookings: Booking[];
  snapshot: BookingSnapshot;
  status: 'loading' | 'ready' | 'error';
  error: unknown;
  reload: () => Promise<void>;
} {
  const sdk = useSdk();
  const live = useLive();
  const { from, to } = range;
  const load = useAsync(
    async (signal) => {
      const all: Booking[] = [];
      // Anything cached after this moment may be newer than the pages read: the snapshot does not remove it.
      const readAt = Date.now();
      for await (const b of sdk.api.bookings.iterate({ from, to, limit: 200 }, { signal })) all.push(b);
      live.rememberBookings(all, { window: { from, to }, readAt });
      return all.length;
    },
    [sdk, live, from, to],
  );
  const { reload } = load;
  useEffect(() => live.onReload(reload), [live, reload]);

  const snapshot = useSyncExternalStore(live.bookings.subscribe, live.bookings.getSnapshot);
  const bookings = useMemo(() => {
    const lo = Date.parse(from);
    const hi = Date.parse(to);
    const out: Booking[] = [];
    for (const b of snapshot.byId.values()) {
      const t = Date.parse(b.startAt);
      if (t >= lo && t < hi) out.push(b);
    }
    return out.sort(byStart);
  }, [snapshot.byId, from, to]);

  // Once a snapshot was shown, a background re-read (after a reconnect) neither blanks nor flags the page: the
  // connection indicator already says what is going on. The same holds for the offline store's copy: with it on
  // screen, a read that fails offline is the sync status's news, not the page's.
  const offline = useSyncExternalStore(live.offlineStatus.subscribe, live.offlineStatus.getSnapshot);
  const fromCache = offline.fromStore;
  // While the store is still being opened and read, a failed read (offline) is not the page's last word: the cached
  // copy is on its way.
  const waitingForCache = !offline.hydrated && !fromCache && load.status === 'error';
  const status = load.data !== undefined || fromCache ? 'ready' : waitingForCache ? 'loading' : load.status;
  return { bookings, snapshot, status, error: load.error, reload };
}
