import {
  CLIENT_TO_SERVER,
  type ClientAck,
  type ClientMessageName,
  type ClientRequest,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '@slotcast/protocol';
import type { Socket } from 'socket.io-client';
import type { RealtimeError } from './follows.js';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The server's acknowledgement as its schema says, or a coded error (also for a timeout or a malformed answer). */
export type AckResult<K extends ClientMessageName> =
  | Extract<ClientAck<K>, { ok: true }>
  | { ok: false; error: RealtimeError };

/** Emits with an acknowledgement and a timeout; never rejects: a missing or malformed answer is a coded error. */
export function emitWithAck<K extends ClientMessageName>(
  socket: ClientSocket,
  event: K,
  payload: ClientRequest<K>,
  timeoutMs: number,
): Promise<AckResult<K>> {
  return new Promise((resolve) => {
    // The typed overloads do not compose over a union of event names; the answer is checked against its schema below.
    const timed = socket.timeout(timeoutMs) as unknown as {
      emit(event: string, payload: unknown, ack: (err: Error | null, res: unknown) => void): void;
    };
    timed.emit(event, payload, (err, res) => {
      if (err) {
        // socket.io fails pending acks with "socket has been disconnected" when the connection drops.
        const code = /disconnected/i.test(err.message) ? 'DISCONNECTED' : 'TIMEOUT';
        resolve({ ok: false, error: { code, message: `${event}: ${err.message}` } });
        return;
      }
      const parsed = CLIENT_TO_SERVER[event].ack.safeParse(res);
      if (parsed.success) resolve(parsed.data as AckResult<K>);
      else resolve({ ok: false, error: { code: 'INTERNAL', message: `${event}: malformed acknowledgement` } });
    });
  });
}
