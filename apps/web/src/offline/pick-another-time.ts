import type { AttentionRow, SlotcastClient } from '@slotcast/client';
import { bookingPath } from '@slotcast/protocol';
import { useCallback } from 'react';
import { useSearch } from '../app/router.js';
import { loadCatalog, loadVendors } from '../bookings/catalog.js';
import type { LiveSession } from '../sdk/live-session.js';

/** The query parameter that names the refused action a booking flow was opened for. */
const ATTENTION = 'attention';

/**
 * Where "Pick another time" leads for a refused action: a refused reschedule opens that booking's reschedule form; a
 * refused new booking opens the vendor's booking flow with the same service and resource, on the day it wanted. Either
 * carries the attention row's number, so choosing a new time resolves it. Null when the vendor cannot be found
 * (neither the server nor the offline store knows the resource).
 */
export async function pickAnotherTimePath(
  row: AttentionRow,
  sdk: SlotcastClient,
  live: LiveSession,
): Promise<string | null> {
  const p = row.payload;
  if (p.kind === 'reschedule' && row.bookingId) {
    return `${bookingPath(row.bookingId)}?${new URLSearchParams({ reschedule: '1', [ATTENTION]: String(row.seq) })}`;
  }
  if (p.kind !== 'book') return null;
  const { resourceId, serviceId, startAt } = p.input;
  const cache = live.offlineReady;
  let vendorId: string | null = null;
  for (const v of await loadVendors(sdk, cache).catch(() => [])) {
    const catalog = await loadCatalog(sdk, v.id, cache).catch(() => null);
    if (catalog?.resources.some((r) => r.id === resourceId)) {
      vendorId = v.id;
      break;
    }
  }
  if (!vendorId) return null;
  const query = new URLSearchParams({
    service: serviceId,
    resource: resourceId,
    at: startAt,
    [ATTENTION]: String(row.seq),
  });
  return `/vendors/${encodeURIComponent(vendorId)}?${query}`;
}

/**
 * For a flow opened by "Pick another time": `resolve()` takes the refused action off the attention list once the
 * user has chosen a new time (booked, or rescheduled). Outside such a flow it does nothing.
 */
export function useAttentionResolver(live: LiveSession): { fromAttention: boolean; resolve: () => Promise<void> } {
  const raw = new URLSearchParams(useSearch()).get(ATTENTION);
  const seq = raw !== null && /^\d+$/.test(raw) ? Number(raw) : null;
  const resolve = useCallback(async () => {
    if (seq !== null) await live.offline?.queue.dismiss(seq);
  }, [live, seq]);
  return { fromAttention: seq !== null, resolve };
}
