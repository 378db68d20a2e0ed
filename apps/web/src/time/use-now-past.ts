import { useCallback, useEffect, useState } from 'react';
import { useSdk } from '../sdk/slotcast-context.js';

/** The longest delay `setTimeout` keeps (about 24.8 days); a later instant is waited for in steps. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * Now by the server's clock (epoch ms): the SDK's estimate from the tokens it was issued, so a phone whose clock is
 * off still sees a cut-off pass when the server does (TokenManager.serverNow).
 */
export function useServerClock(): () => number {
  const { tokens } = useSdk().api;
  return useCallback(() => tokens.serverNow(), [tokens]);
}

/**
 * The current time by the server's clock (epoch ms), read again the moment each of `instants` passes: a component
 * that reads differently before and after an instant — a cancellation cut-off — changes at that instant, not at its
 * next unrelated render.
 * Between instants the value stays put, so nothing re-renders on a tick. `null`s are ignored.
 */
export function useNowPast(instants: readonly (number | null)[]): number {
  const clock = useServerClock();
  const [now, setNow] = useState(clock);
  const key = instants.filter((i): i is number => i !== null).join(',');
  useEffect(() => {
    const list = key === '' ? [] : key.split(',').map(Number);
    const current = clock();
    // An instant that passed since `now` was read (new instants, or a render long after the last one): now, at once.
    if (list.some((i) => i > now && i <= current)) {
      setNow(current);
      return;
    }
    const next = Math.min(...list.filter((i) => i > current));
    if (!Number.isFinite(next)) return;
    // One past it: the server refuses a change strictly after its cut-off.
    const timer = setTimeout(() => setNow(clock()), Math.min(MAX_DELAY_MS, next - current + 1));
    return () => clearTimeout(timer);
  }, [key, now, clock]);
  return now;
}
