import { isApiError } from '@slotcast/client';
import type { Booking } from '@slotcast/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useLive, useSdk } from '../sdk/slotcast-context.js';
import { describeError } from '../ui/describe-error.js';
import { ACTION_DONE, type UiAction } from './booking-status.js';

export type ActionResult =
  | { kind: 'ok'; action: UiAction; text: string }
  | { kind: 'error'; action: UiAction; text: string; code: string | null }
  | { kind: 'conflict'; action: UiAction; current: Booking };

export interface ActionInput {
  reason?: string;
  startAt?: string;
  resourceId?: string;
}

/**
 * Runs one booking action from the version on screen. The answer goes into the live store at once (the event that
 * follows is then a no-op); a version conflict puts the server's current booking there and says who changed it.
 */
export function useBookingAction(booking: Booking) {
  const sdk = useSdk();
  const live = useLive();
  const [pending, setPending] = useState<UiAction | null>(null);
  const [result, setResult] = useState<ActionResult | null>(null);
  // The version the user acted on: a click does not silently retry on a newer version they have not seen.
  const latest = useRef(booking);
  latest.current = booking;

  // A failure is about the booking as it was: once it changes (here or elsewhere), the old error would mislead.
  const failedAt = useRef<number | null>(null);
  useEffect(() => {
    if (failedAt.current !== null && booking.version !== failedAt.current) {
      failedAt.current = null;
      setResult((r) => (r?.kind === 'error' ? null : r));
    }
  }, [booking.version]);

  const run = useCallback(
    async (action: UiAction, input: ActionInput = {}): Promise<boolean> => {
      const b = latest.current;
      setPending(action);
      setResult(null);
      try {
        const reason = input.reason?.trim() || undefined;
        const updated =
          action === 'reschedule'
            ? await sdk.api.bookings.reschedule(b.id, {
                version: b.version,
                startAt: input.startAt!,
                ...(input.resourceId && input.resourceId !== b.resourceId ? { resourceId: input.resourceId } : {}),
                ...(reason ? { reason } : {}),
              })
            : await sdk.api.bookings.transition(b.id, action, { version: b.version, ...(reason ? { reason } : {}) });
        live.bookings.apply(updated, { highlight: false });
        setResult({ kind: 'ok', action, text: ACTION_DONE[action] });
        return true;
      } catch (err) {
        if (isApiError(err, 'BOOKING_VERSION_CONFLICT') && err.current) {
          live.bookings.apply(err.current);
          setResult({ kind: 'conflict', action, current: err.current });
        } else {
          failedAt.current = b.version;
          setResult({ kind: 'error', action, text: describeError(err), code: isApiError(err) ? err.code : null });
        }
        return false;
      } finally {
        setPending(null);
      }
    },
    [sdk, live],
  );

  return { run, pending, result, clear: () => setResult(null) };
}
