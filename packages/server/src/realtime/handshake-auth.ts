import {
  HandshakeAuth,
  MIN_CLIENT_PROTOCOL_VERSION,
  protocolIncompatibility,
  type SocketErrorBody,
} from '@slotcast/protocol';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import type { AccessClaims } from '../auth/tokens.js';
import type { RealtimeObserver } from '../observability/realtime-observer.js';
import type { AuthService } from '../usecases/auth.js';
import { type AdmissionSettings, DEFAULT_ADMISSION, HandshakeAdmission } from './handshake-admission.js';
import { coded, connectError, toSocketError } from './socket-errors.js';

export interface SocketData {
  /**
   * The token's verified claims: the very object the verified-token cache holds (usecases/auth.ts), shared rather
   * than copied field by field. Never changed in place; `auth:refresh` replaces it with the new token's.
   */
  claims: Readonly<AccessClaims>;
  cursor: number | null;
  /** While the socket replays: resolves when replay is done and the socket is in its rooms. Null once it is. */
  live: Promise<void> | null;
  /** The node holding the socket, stamped by realtime/presence.ts (declared here so the data keeps one shape). */
  node: string;
}

export interface HandshakeLimits extends AdmissionSettings {
  /** Token verifications (and session checks) in flight at once on this node. */
  concurrency: number;
}

export const DEFAULT_HANDSHAKE_LIMITS: HandshakeLimits = { concurrency: 32, ...DEFAULT_ADMISSION };

type HandshakeSocket = {
  handshake: { auth: Record<string, unknown> | undefined };
  conn: { transport: { name: string }; readyState: string };
  data: SocketData;
};

/** Checks the handshake's shape and protocol version: the refusal, or the parsed auth. */
export function checkHandshake(
  raw: unknown,
): { ok: true; auth: HandshakeAuth } | { ok: false; error: SocketErrorBody } {
  const parsed = HandshakeAuth.safeParse(raw);
  if (!parsed.success) {
    // Absent is AUTH_REQUIRED; present but not a string (`{ token: 12345 }`) is a malformed handshake.
    const token = (raw as { token?: unknown } | undefined)?.token;
    return token === undefined
      ? { ok: false, error: coded('AUTH_REQUIRED', 'auth.token is required') }
      : { ok: false, error: coded('VALIDATION_FAILED', 'auth is not valid') };
  }
  const version = parsed.data.protocolVersion;
  const mismatch = version === undefined ? null : protocolIncompatibility(version, MIN_CLIENT_PROTOCOL_VERSION);
  if (mismatch) {
    return {
      ok: false,
      error: coded(
        mismatch,
        mismatch === 'PROTOCOL_CLIENT_TOO_OLD'
          ? `Protocol ${version} is no longer served (oldest: ${MIN_CLIENT_PROTOCOL_VERSION}); update the client`
          : `Protocol ${version} is newer than this server speaks; update the server`,
      ),
    };
  }
  return { ok: true, auth: parsed.data };
}

/**
 * Authenticates the handshake (signature, expiry, revocation) before the socket exists. Verifications run at most
 * `concurrency` at a time, so a reconnect storm queues instead of starving the event loop and the database pool; a
 * handshake that would wait longer than `maxWaitMs` (when set) is refused at once with RATE_LIMITED and its own `retryAfterMs`
 * (handshake-admission.ts) rather than left to time out.
 */
export function handshakeAuth(
  auth: AuthService,
  logger: Logger,
  observer: RealtimeObserver | undefined,
  limits: HandshakeLimits = DEFAULT_HANDSHAKE_LIMITS,
  now: () => number = Date.now,
) {
  const limit = pLimit(limits.concurrency);
  const admission = new HandshakeAdmission(limits, now);
  return (socket: HandshakeSocket, next: (err?: Error) => void): void => {
    const checked = checkHandshake(socket.handshake.auth);
    if (!checked.ok) {
      observer?.authFailed(checked.error.code);
      next(connectError(checked.error));
      return;
    }
    const retryAfterMs = admission.refusal(limit.pendingCount);
    if (retryAfterMs !== null) {
      observer?.authFailed('RATE_LIMITED');
      next(connectError(coded('RATE_LIMITED', 'The server is busy; retry shortly', { retryAfterMs })));
      return;
    }
    const { token, lastEventId } = checked.auth;
    observer?.handshakesWaiting(limit.pendingCount + 1);
    void limit(async () => {
      observer?.handshakesWaiting(limit.pendingCount);
      // A client that gave up while queued (its connect timeout) has retried on a new connection already: verifying
      // the old one would only double the work of a storm, and each round of timeouts would add another copy.
      if (socket.conn.readyState === 'closed') {
        observer?.handshakeSkipped();
        next(connectError(coded('SERVICE_UNAVAILABLE', 'The connection closed while waiting')));
        return;
      }
      try {
        const claims = await auth.authenticate(token);
        socket.data = {
          claims,
          cursor: lastEventId ?? null,
          live: null,
          node: '',
        };
        next();
      } catch (err) {
        const body = toSocketError(err);
        logger.info({ code: body.code, transport: socket.conn.transport.name }, 'socket auth failed');
        observer?.authFailed(body.code);
        next(connectError(body));
      } finally {
        admission.completed();
      }
    });
  };
}
