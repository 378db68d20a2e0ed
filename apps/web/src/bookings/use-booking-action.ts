import { isApiError, type QueuedPayload, randomKey, SlotcastNetworkError } from '@slotcast/client';
import type { Booking } from '@slotcast/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import { OFFLINE_COPY } from '../offline/offline-copy.js';
import { useLive, useSdk } from '../sdk/slotcast-context.js';
import { describeError } from '../ui/describe-error.js';
import { ACTION_DONE, type UiAction } from './booking-status.js';

export type ActionResult =
  | { kind: 'ok'; action: UiAction; text: string }
  /** Taken offline (or its answer was lost): stored on the device, sent when the connection returns. */
  | { kind: 'queued'; action: UiAction; text: string }
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
 * Offline, or when the request could not reach the server, the action goes to the outbox under the same
 * Idempotency-Key (a request that did arrive is then applied once) and is shown as pending.
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
      const reason = input.reason?.trim() || undefined;
      const idempotencyKey = randomKey();
      const queue = async (): Promise<true> => {
        await live.queueAction(toPayload(action, b, input, reason), b, idempotencyKey);
        setResult({ kind: 'queued', action, text: OFFLINE_COPY.queued });
        return true;
      };
      const queueable = live.offline !== null && action !== 'complete';
      try {
        if (queueable && typeof navigator !== 'undefined' && !navigator.onLine) return await queue();
        const updated =
          action === 'reschedule'
            ? await sdk.api.bookings.reschedule(
                b.id,
                {
                  version: b.version,
                  startAt: input.startAt!,
                  ...(input.resourceId && input.resourceId !== b.resourceId ? { resourceId: input.resourceId } : {}),
                  ...(reason ? { reason } : {}),
                },
                { idempotencyKey },
              )
            : await sdk.api.bookings.transition(
                b.id,
                action,
                { version: b.version, ...(reason ? { reason } : {}) },
                { idempotencyKey },
              );
        live.bookings.apply(updated, { highlight: false });
        setResult({ kind: 'ok', action, text: ACTION_DONE[action] });
        return true;
      } catch (err) {
        if (queueable && err instanceof SlotcastNetworkError) return await queue();
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

function toPayload(action: UiAction, b: Booking, input: ActionInput, reason: string | undefined): QueuedPayload {
  if (action === 'reschedule') {
    return {
      kind: 'reschedule',
      input: {
        startAt: input.startAt!,
        ...(input.resourceId && input.resourceId !== b.resourceId ? { resourceId: input.resourceId } : {}),
        ...(reason ? { reason } : {}),
      },
    };
  }
  if (action === 'complete') throw new Error('complete is not queued offline');
  return { kind: action, ...(reason ? { reason } : {}) };
}
