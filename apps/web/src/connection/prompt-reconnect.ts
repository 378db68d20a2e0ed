import type { SlotcastClient } from '@slotcast/client';
import { useEffect } from 'react';

const PROBE_EVERY_MS = 1_000;

/**
 * Reconnects as soon as there is reason to think it will work, instead of waiting out the back-off timer: when the
 * device comes online, when the page becomes visible again, and when the server answers its health probe again.
 */
export function usePromptReconnect(sdk: SlotcastClient, signedIn: boolean): void {
  useEffect(() => {
    if (!signedIn) return;
    const { realtime } = sdk;
    // Waiting out a back-off: an attempt in progress is left alone (retrying would only restart it), and so is a
    // device that is offline (the SDK reconnects when the network returns).
    const down = () => {
      const { status, nextRetryAt } = realtime.state;
      return (status === 'reconnecting' || status === 'connecting') && nextRetryAt !== null;
    };
    const retry = () => {
      if (down()) realtime.retryNow();
    };
    const onVisible = () => {
      if (document.visibilityState === 'visible') retry();
    };
    window.addEventListener('online', retry);
    document.addEventListener('visibilitychange', onVisible);

    // While the connection is down, ask the server's liveness endpoint; its first answer means "back".
    let probe: ReturnType<typeof setInterval> | null = null;
    let inFlight = false;
    const stopProbe = () => {
      if (probe) clearInterval(probe);
      probe = null;
    };
    const startProbe = () => {
      if (probe) return;
      probe = setInterval(() => {
        if (inFlight || !navigator.onLine) return;
        inFlight = true;
        fetch('/healthz', { cache: 'no-store', signal: AbortSignal.timeout(PROBE_EVERY_MS * 2) })
          .then((res) => {
            if (res.ok) retry();
          })
          .catch(() => {})
          .finally(() => {
            inFlight = false;
          });
      }, PROBE_EVERY_MS);
    };
    const follow = () => (down() ? startProbe() : stopProbe());
    const off = realtime.subscribeState(follow);
    follow();
    return () => {
      off();
      stopProbe();
      window.removeEventListener('online', retry);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [sdk, signedIn]);
}
