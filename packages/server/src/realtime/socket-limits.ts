import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { LimiterName, RateLimits } from '../limits/rate-limits.js';
import type { Metrics } from '../observability/metrics.js';
import { closeWithReason, connectError as refused } from './socket-errors.js';
import type { GatewayServer, GatewaySocket } from './socket-types.js';

/** A refused connection is told to wait this long before trying again. */
const CONCURRENCY_RETRY_MS = 30_000;

/** Client messages that draw on a budget, each its own. Unknown messages do no work, so they need none. */
const MESSAGE_LIMITERS: Record<string, LimiterName> = {
  follow: 'socket_follow',
  unfollow: 'socket_unfollow',
  'follow:many': 'socket_follow',
  'auth:refresh': 'socket_auth_refresh',
};

type Middleware = Parameters<GatewayServer['use']>[0];

/**
 * Handshakes per client address, checked before authentication so a reconnect storm or a scanner costs no token
 * verification and no database read. Refused with connect_error data `{ code: 'RATE_LIMITED', retryAfterMs }`.
 */
export function handshakeThrottle(limits: RateLimits, clientAddress: (req: IncomingMessage) => string): Middleware {
  return (socket, next) => {
    // The address as the HTTP side sees it (config TRUST_PROXY): X-Forwarded-For only from a trusted proxy.
    void limits.take('socket_handshake', clientAddress(socket.request)).then(
      (waitMs) =>
        next(
          waitMs === null
            ? undefined
            : refused({ code: 'RATE_LIMITED', message: 'Too many connection attempts', retryAfterMs: waitMs }),
        ),
      (err: Error) => next(err),
    );
  };
}

/**
 * After authentication: open sockets per user. The slot is given back when the engine connection closes, which it
 * does however the socket ends (every server-side disconnect closes the transport), or if it never finishes connecting.
 */
export function holdSocketSlots(io: GatewayServer, limits: RateLimits, logger: Logger): void {
  if (!limits.enabled) return;
  io.use((socket, next) => {
    const userId = socket.data.claims.userId;
    void limits.acquireSocket(userId, socket.id).then((taken) => {
      if (!taken) {
        logger.info({ userId }, 'socket refused: too many open sockets for the user');
        return next(
          refused({
            code: 'RATE_LIMITED',
            message: 'Too many open connections for this user',
            retryAfterMs: CONCURRENCY_RETRY_MS,
          }),
        );
      }
      // The connection may have gone while the slot was being taken (a Redis round trip): give it back at once.
      if (socket.conn.readyState === 'closed') return releaseSlot(limits, logger, userId, socket.id);
      releaseOnClose(limits, logger, socket);
      next();
    }, next);
  });
}

function releaseSlot(limits: RateLimits, logger: Logger, userId: string, socketId: string): void {
  void limits
    .releaseSocket(userId, socketId)
    .catch((err: unknown) => logger.warn({ err, userId }, 'socket slot not released; it expires with its lease'));
}

// Out of the middleware on purpose: a listener made in there would keep the handshake's whole chain of closures
// (Socket.IO's middleware runner, `next`) alive for as long as the socket is open — a few hundred bytes per socket.
function releaseOnClose(limits: RateLimits, logger: Logger, socket: GatewaySocket): void {
  // `on`, not `once`: the connection closes once, and `once` would add a wrapper and its state (~110 bytes) per socket.
  socket.conn.on('close', () => releaseSlot(limits, logger, socket.data.claims.userId, socket.id));
}

/** Whether a client message may run now; when not, it has been acknowledged with the refusal already. */
export type MessageBudget = (socket: GatewaySocket, message: string, ack: unknown) => Promise<boolean>;

/**
 * Per-user budgets for each client message, one function shared by every socket. A refused message is acknowledged
 * `{ ok: false, error: { code: 'RATE_LIMITED', retryAfterMs } }`; a socket that keeps sending after `floodRejections`
 * refusals in a row is sent `closing` RATE_LIMITED and disconnected. Only refused sockets cost memory here.
 */
export function messageBudget(limits: RateLimits, metrics: Metrics, logger: Logger): MessageBudget | undefined {
  if (!limits.enabled) return undefined;
  const refusedInARow = new WeakMap<GatewaySocket, number>();
  return async (socket, message, ack) => {
    const name = MESSAGE_LIMITERS[message];
    if (!name) return true;
    const waitMs = await limits.take(name, socket.data.claims.userId);
    if (waitMs === null) {
      refusedInARow.delete(socket);
      return true;
    }
    if (typeof ack === 'function') {
      ack({
        ok: false,
        error: { code: 'RATE_LIMITED', message: `Too many ${message} messages`, retryAfterMs: waitMs },
      });
    }
    const refusals = (refusedInARow.get(socket) ?? 0) + 1;
    refusedInARow.set(socket, refusals);
    if (refusals === limits.floodRejections) {
      metrics.rateLimitDisconnects.inc();
      logger.warn(
        { socketId: socket.id, userId: socket.data.claims.userId, event: message, rejections: refusals },
        'socket closed for flooding',
      );
      void closeWithReason(socket, 'RATE_LIMITED', 'Too many messages; slow down and reconnect');
    }
    return false;
  };
}
