import { ERRORS, SocketErrorBody } from '@slotcast/protocol';
import type { ConnectionError } from './connection-state.js';

/** What the client does when the server refuses a handshake, or closes a socket, with a code. */
export type Reaction = 'refresh-token' | 'sign-out' | 'drain' | 'give-up' | 'incompatible' | 'retry';

export function reactionTo(code: string): Reaction {
  switch (code) {
    case 'AUTH_TOKEN_EXPIRED':
      return 'refresh-token';
    case 'AUTH_TOKEN_INVALID':
    case 'AUTH_REQUIRED':
    case 'SESSION_REVOKED':
      return 'sign-out';
    case 'SERVER_DRAINING':
      return 'drain';
    // One side must be updated first: stop, and say so.
    case 'PROTOCOL_CLIENT_TOO_OLD':
    case 'PROTOCOL_SERVER_TOO_OLD':
      return 'incompatible';
    // Retrying cannot help: a foreign page origin, or a handshake this client builds wrong.
    case 'ORIGIN_NOT_ALLOWED':
    case 'VALIDATION_FAILED':
      return 'give-up';
    default:
      return 'retry';
  }
}

/**
 * A connect_error's code: the server's coded error (`data.code`), or NETWORK for a transport failure. `fromServer`:
 * the server answered the handshake with a coded refusal (over a transport that therefore works).
 */
export function fromConnectError(err: Error): { error: ConnectionError; retryAfterMs: number; fromServer: boolean } {
  const body = SocketErrorBody.safeParse((err as { data?: unknown }).data);
  if (body.success) {
    const error = { code: body.data.code, message: body.data.message };
    return { error, retryAfterMs: body.data.retryAfterMs ?? 0, fromServer: true };
  }
  // A refusal before Socket.IO's handshake (ORIGIN_NOT_ALLOWED) arrives as the message of a transport error.
  const code = err.message in ERRORS ? err.message : 'NETWORK';
  return { error: { code, message: err.message }, retryAfterMs: 0, fromServer: false };
}

/** A thrown error (a failed refresh, say) as a connection error. */
export function fromThrown(err: unknown, fallback: string): ConnectionError {
  const code = (err as { code?: unknown })?.code;
  return {
    code: typeof code === 'string' ? code : fallback,
    message: err instanceof Error ? err.message : String(err),
  };
}
