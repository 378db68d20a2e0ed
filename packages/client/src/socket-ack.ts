import type { Ack, ClientToServerEvents, ServerToClientEvents } from '@slotcast/protocol';
import type { Socket } from 'socket.io-client';
import type { RealtimeError } from './follows.js';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type AckResult = ({ ok: true } & Record<string, unknown>) | { ok: false; error: RealtimeError };

/** Emits with an acknowledgement and a timeout; never rejects: a missing or malformed answer is a coded error. */
export function emitWithAck(
  socket: ClientSocket,
  event: keyof ClientToServerEvents,
  payload: unknown,
  timeoutMs: number,
): Promise<AckResult> {
  return new Promise((resolve) => {
    // The typed overloads do not compose over a union of event names; the wire shape is the same for all three.
    const timed = socket.timeout(timeoutMs) as unknown as {
      emit(event: string, payload: unknown, ack: (err: Error | null, res: Ack<Record<string, unknown>>) => void): void;
    };
    timed.emit(event, payload, (err, res) => {
      if (err) {
        // socket.io fails pending acks with "socket has been disconnected" when the connection drops.
        const code = /disconnected/i.test(err.message) ? 'DISCONNECTED' : 'TIMEOUT';
        resolve({ ok: false, error: { code, message: `${event}: ${err.message}` } });
        return;
      }
      if (res && typeof res === 'object' && res.ok === true) {
        resolve(res);
        return;
      }
      const error = res && typeof res === 'object' && res.ok === false ? res.error : undefined;
      resolve({
        ok: false,
        error: {
          code: typeof error?.code === 'string' ? error.code : 'INTERNAL',
          message: typeof error?.message === 'string' ? error.message : `${event}: malformed acknowledgement`,
          ...(typeof error?.retryAfterMs === 'number' ? { retryAfterMs: error.retryAfterMs } : {}),
        },
      });
    });
  });
}
