import { type DisconnectReason, type ErrorCode, SlotcastError, type SocketErrorBody } from '@slotcast/protocol';
import type { Socket } from 'socket.io';

/** How long a `closing` reason gets to reach the client before the transport closes. */
export const CLOSE_GRACE_MS = 100;

export const coded = (code: ErrorCode, message: string, extra: Partial<SocketErrorBody> = {}): SocketErrorBody => ({
  code,
  message,
  ...extra,
});

/** A thrown error as a socket error body: named errors keep their code, a bad message is VALIDATION_FAILED. */
export function toSocketError(err: unknown): SocketErrorBody {
  if (err instanceof SlotcastError) return coded(err.code, err.message);
  if (err instanceof Error && err.name === 'ZodError') return coded('VALIDATION_FAILED', 'The message is not valid');
  return coded('INTERNAL', 'Internal error');
}

/** A handshake refusal: the client's `connect_error` carries `data` with the code. */
export function connectError(body: SocketErrorBody): Error & { data: SocketErrorBody } {
  return Object.assign(new Error(body.message), { data: body });
}

/** Anything that can be told `closing` and then disconnected: a socket, a room (`io.in(room)`), or `io.local`. */
interface Closable {
  emit(event: 'closing', info: { code: DisconnectReason; message: string }): unknown;
  disconnectSockets?(close: boolean): void;
  disconnect?(close: boolean): unknown;
}

/**
 * The one way the server closes sockets itself: send `closing` with the reason, then close the transport after a
 * short grace, so the reason arrives first and the client acts on it rather than on a bare disconnect.
 */
export function closeWithReason(target: Closable | Socket, code: DisconnectReason, message: string): Promise<void> {
  const t = target as Closable;
  t.emit('closing', { code, message });
  return new Promise((resolve) => {
    setTimeout(() => {
      if (t.disconnectSockets) t.disconnectSockets(true);
      else t.disconnect?.(true);
      resolve();
    }, CLOSE_GRACE_MS).unref();
  });
}
