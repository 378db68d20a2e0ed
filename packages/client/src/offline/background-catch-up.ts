import type { SlotcastClient } from '../slotcast-client.js';
import type { OfflineCache } from './offline-cache.js';

export type CatchUpOutcome = 'caught-up' | 'resync' | 'no-cursor' | 'other-user' | 'signed-out' | 'timed-out';

/**
 * One catch-up with no page open (the service worker, ahead of a usual open): connect with the cursor the offline
 * store keeps, write every replayed event into the store exactly as a page would (OfflineCache.applyEnvelopes, which
 * moves the cursor with the data), and disconnect once the server says the replay is done. Without a cursor there
 * is nothing to catch up from (the next page load reads a snapshot). `sdk` must use the store's OfflineCursorStore.
 */
export async function catchUpOnce(
  sdk: SlotcastClient,
  cache: OfflineCache,
  opts: { userId: string; timeoutMs?: number },
): Promise<CatchUpOutcome> {
  if ((await cache.cursor()) === null) return 'no-cursor';
  // Whoever the session cookie names now must own this store; another user's events never go into it.
  if ((await sdk.api.tokens.getAccessToken().catch(() => null)) === null) return 'signed-out';
  if (sdk.api.tokens.user?.id !== opts.userId) return 'other-user';
  const { realtime } = sdk;
  const offs: (() => void)[] = [];
  try {
    const outcome = await new Promise<CatchUpOutcome>((resolve) => {
      offs.push(
        realtime.onEnvelopeFrame((envelopes) => cache.applyEnvelopes(envelopes)),
        // Awaited before the stream moves its cursor: the store knows it needs a snapshot.
        realtime.on('resync', async (info) => {
          await cache.resynced(info.latestEventId);
          resolve('resync');
        }),
        realtime.on('replayDone', () => resolve('caught-up')),
        realtime.on('signedOut', () => resolve('signed-out')),
      );
      const timer = setTimeout(() => resolve('timed-out'), opts.timeoutMs ?? 20_000);
      offs.push(() => clearTimeout(timer));
      realtime.start();
    });
    // replay:done can overtake the handlers of the events before it: let them write first.
    await realtime.whenIdle();
    return outcome;
  } finally {
    for (const off of offs) off();
    await realtime.stop();
  }
}
