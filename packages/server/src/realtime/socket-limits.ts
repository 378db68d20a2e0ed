import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { LimiterName, RateLimits } from '../limits/rate-limits.js';
import type { Metrics } from '../observability/metrics.js';
import { closeWithReason, connectError as refused } from './socket-errors.js';
import type { GatewayServer } from './socket-types.js';

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
 * After authentication: open sockets per user, and per-user budgets for each client message. A refused message is
 * acknowledged `{ ok: false, error: { code: 'RATE_LIMITED', retryAfterMs } }`; a socket that keeps sending after
 * `floodRejections` refusals in a row is sent `closing` RATE_LIMITED and disconnected.
 */
export function attachSocketLimits(io: GatewayServer, limits: RateLimits, metrics: Metrics, logger: Logger) {
  if (!limits.enabled) return;
  io.use((socket, next) => {
    const userId = socket.data.userId;
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
      // The engine connection closes however the socket ends (or if it never finishes connecting).
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        void limits
          .releaseSocket(userId, socket.id)
          .catch((err: unknown) => logger.warn({ err, userId }, 'socket slot not released; it expires with its lease'));
      };
      socket.conn.once('close', release);
      socket.once('disconnect', release);
      // The connection may have gone while the slot was being taken (a Redis round trip): give it back at once.
      if (socket.conn.readyState === 'closed') return release();
      next();
    }, next);
  });

  io.on('connection', (socket) => {
    let refusedInARow = 0;
    socket.use((packet, next) => {
      const name = MESSAGE_LIMITERS[packet[0] as string];
      if (!name) return next();
      void limits.take(name, socket.data.userId).then((waitMs) => {
        if (waitMs === null) {
          refusedInARow = 0;
          return next();
        }
        const ack = packet.at(-1);
        if (typeof ack === 'function') {
          ack({
            ok: false,
            error: { code: 'RATE_LIMITED', message: `Too many ${packet[0]} messages`, retryAfterMs: waitMs },
          });
        }
        if (++refusedInARow === limits.floodRejections) {
          metrics.rateLimitDisconnects.inc();
          logger.warn(
            { socketId: socket.id, userId: socket.data.userId, event: packet[0], rejections: refusedInARow },
            'socket closed for flooding',
          );
          void closeWithReason(socket, 'RATE_LIMITED', 'Too many messages; slow down and reconnect');
        }
      }, next);
    });
  });
}
