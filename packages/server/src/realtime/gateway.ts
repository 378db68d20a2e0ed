import type { Server as HttpServer } from 'node:http';
import { PROTOCOL_VERSION, type Role } from '@slotcast/protocol';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import type { EventBus } from '../bus/event-bus.js';
import type { RealtimeObserver } from '../observability/realtime-observer.js';
import type { AuthService } from '../usecases/auth.js';
import type { RealtimeAccess } from '../usecases/realtime-access.js';
import { BusProgress } from './bus-progress.js';
import { clientMessageHandlers, clientMessageListener } from './client-messages.js';
import { type Clock, ExpiryTimers } from './expiry-timers.js';
import { emitCoalesced, eventFrameFor, joinProtocolRoom } from './fan-out.js';
import { DEFAULT_HANDSHAKE_LIMITS, type HandshakeLimits, handshakeAuth, type SocketData } from './handshake-auth.js';
import { originAllowed } from './origin.js';
import { replayThenGoLive } from './replay.js';
import { assignedRooms, recipientRooms } from './rooms.js';
import { closeWithReason } from './socket-errors.js';
import type { MessageBudget } from './socket-limits.js';
import type { GatewayServer, GatewaySocket } from './socket-types.js';
import { coalesceWebSocketWrites } from './write-coalescing.js';

export type { GatewayServer, GatewaySocket, SocketData };

export interface GatewayOptions {
  httpServer: HttpServer;
  bus: EventBus;
  auth: AuthService;
  /** Follow authorisation and replay reads (usecases/realtime-access.ts). */
  access: RealtimeAccess;
  logger: Logger;
  allowedOrigins: readonly string[];
  /** Largest message a client may send. */
  maxMessageBytes?: number;
  /** How long before expiry the server asks for a fresh token. */
  refreshLeadMs?: number;
  /** Time for token expiry (tests drive it with fake timers). */
  clock?: Clock;
  /** Handshake authentications at once, and how many may wait, on this node. */
  handshakeLimits?: HandshakeLimits;
  /** Replays (reconnecting sockets reading the log) at once on this node; the rest wait their turn. Their reads in the
   * same event-loop turn share one statement (usecases/realtime-access.ts). */
  replayConcurrency?: number;
  /** Metrics and tracing of sockets, replays and emissions (observability/realtime-observer.ts). */
  observer?: RealtimeObserver;
  /** Handshake middleware that runs before authentication (rate limits: realtime/socket-limits.ts). */
  beforeAuth?: Parameters<GatewayServer['use']>[0][];
  /** Per-user budgets of client messages (realtime/socket-limits.ts `messageBudget`). */
  messageBudget?: MessageBudget;
  /** Told of every socket opened and closed (engagement: usecases/socket-activity.ts). */
  activity?: SocketActivitySink;
}

export interface SocketActivitySink {
  connected(userId: string, role: Role): void;
  disconnected(userId: string): void;
}

export interface Gateway {
  io: GatewayServer;
  emittedThrough(): number;
  /** Closes the sockets of revoked sessions on every node, telling them why (default: signed out). */
  revokeSessions(sessionIds: readonly string[], message?: string): void;
  /** Tells every client to reconnect (elsewhere) and closes their sockets. */
  drain(reconnectInMs: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Wires the realtime parts to one Socket.IO server: handshake authentication (handshake-auth.ts), replay then live
 * (replay.ts), client messages (client-messages.ts), fan-out of the bus (fan-out.ts) and token expiry
 * (expiry-timers.ts).
 */
export function attachGateway(opts: GatewayOptions): Gateway {
  const { bus, auth, access, logger, observer, activity } = opts;
  const io: GatewayServer = new Server(opts.httpServer, {
    serveClient: false,
    maxHttpBufferSize: opts.maxMessageBytes ?? 16 * 1024,
    allowRequest: (req, cb) =>
      cb(
        originAllowed(req, opts.allowedOrigins) ? null : 'ORIGIN_NOT_ALLOWED',
        originAllowed(req, opts.allowedOrigins),
      ),
    pingInterval: 20_000,
    pingTimeout: 20_000,
  });
  coalesceWebSocketWrites(io);
  const progress = new BusProgress(bus.lastDeliveredId);
  const replays = pLimit(opts.replayConcurrency ?? 200);
  const expiry = new ExpiryTimers<GatewaySocket>({
    clock: opts.clock,
    leadMs: opts.refreshLeadMs ?? 60_000,
    expiresAt: (socket) => socket.data.claims.expiresAt,
    expiring: (socket, expiresAt) => socket.emit('auth:expiring', { expiresAt: new Date(expiresAt).toISOString() }),
    expired: (socket) =>
      void closeWithReason(socket, 'AUTH_TOKEN_EXPIRED', 'The access token expired; reconnect with a fresh one'),
  });
  const onMessage = clientMessageListener(clientMessageHandlers({ auth, access, expiry, logger }), opts.messageBudget);

  for (const mw of opts.beforeAuth ?? []) io.use(mw);
  io.use(handshakeAuth(auth, logger, observer, opts.handshakeLimits ?? DEFAULT_HANDSHAKE_LIMITS));

  // One listener for every socket, shared (a closure per socket, or a second listener, is kept while it is open).
  function onDisconnect(this: GatewaySocket, reason: string) {
    expiry.clear(this);
    activity?.disconnected(this.data.claims.userId);
    logger.info({ socketId: this.id, userId: this.data.claims.userId, reason }, 'socket disconnected');
    observer?.disconnected(reason);
  }

  async function goLive(socket: GatewaySocket, rooms: string[]): Promise<void> {
    const d = socket.data;
    if (d.cursor === null) {
      socket.join(rooms);
      logger.info({ socketId: socket.id, userId: d.claims.userId, rooms: rooms.length }, 'socket joined its rooms');
      // A first connection replays nothing, but learns the position it is live from: its first cursor.
      socket.emit('replay:done', { lastEventId: progress.through, replayed: 0 });
      return;
    }
    const cursor = d.cursor;
    observer?.replayStarted();
    const outcome = await replays(() =>
      replayThenGoLive(
        {
          access,
          emittedThrough: () => progress.through,
          emitted: (id, ms) => progress.reached(id, ms),
          emittedSince: (id) => progress.since(id),
          visible: (e) => recipientRooms(e).some((room) => rooms.includes(room)),
        },
        {
          userId: d.claims.userId,
          all: d.claims.role === 'admin',
          vendorId: d.claims.role === 'staff' ? d.claims.vendorId : null,
          customerId: d.claims.role === 'customer' ? d.claims.userId : null,
        },
        cursor,
        (batch) => socket.emit('events', eventFrameFor(socket, batch)),
        () => socket.join(rooms),
        () => socket.disconnected,
      ),
    );
    observer?.replayFinished(outcome);
    logger.info(
      outcome.kind === 'resync'
        ? { socketId: socket.id, userId: d.claims.userId, cursor, resync: outcome.info.latestEventId }
        : { socketId: socket.id, userId: d.claims.userId, eventId: outcome.lastEventId, replayed: outcome.replayed },
      outcome.kind === 'resync' ? 'socket joined its rooms; resync required' : 'socket replayed and joined its rooms',
    );
    if (outcome.kind === 'resync') socket.emit('resync:required', outcome.info);
    else socket.emit('replay:done', { lastEventId: outcome.lastEventId, replayed: outcome.replayed });
  }

  io.on('connection', (socket) => {
    const d = socket.data;
    logger.info(
      { socketId: socket.id, userId: d.claims.userId, role: d.claims.role, transport: socket.conn.transport.name },
      'socket connected',
    );
    observer?.connected(socket.conn.transport.name);
    activity?.connected(d.claims.userId, d.claims.role);
    const rooms = assignedRooms(d.claims);
    // Before any room that gets events: a protocol 1 client's frames are written as arrays of envelopes (fan-out.ts).
    joinProtocolRoom(socket);
    socket.emit('session', {
      userId: d.claims.userId,
      role: d.claims.role,
      vendorId: d.claims.vendorId,
      rooms,
      protocolVersion: PROTOCOL_VERSION,
      accessTokenExpiresAt: new Date(d.claims.expiresAt).toISOString(),
    });
    expiry.schedule(socket);
    const live = goLive(socket, rooms).then(
      () => {
        // Nothing to wait for any more: a socket keeps no settled promise for as long as it is open.
        if (d.live === live) d.live = null;
      },
      (err) => {
        observer?.replayFailed();
        logger.warn({ err, socketId: socket.id }, 'replay failed; closing socket so the client retries');
        socket.disconnect(true);
      },
    );
    d.live = live;
    socket.onAny(onMessage);
    socket.on('disconnect', onDisconnect);
  });

  // Sessions' sockets on this node, found by their data in one pass (a password reset revokes all of a user's
  // sessions at once): a sign-out is rare, and a room per session would cost every socket a Set of its own.
  function closeSessions(sessionIds: readonly string[], message: string): void {
    const revoked = new Set(sessionIds);
    for (const socket of io.of('/').sockets.values()) {
      if (revoked.has(socket.data.claims.sessionId)) void closeWithReason(socket, 'SESSION_REVOKED', message);
    }
  }
  io.on('session:revoked', closeSessions);

  // Live fan-out: the bus hands over committed events in id order; each socket gets the batch's events for it in one
  // frame (see fan-out.ts).
  const unsubscribe = bus.subscribe((batch) => {
    emitCoalesced(io, batch);
    observer?.emitted(batch);
    if (batch.length && logger.isLevelEnabled('debug')) {
      logger.debug({ eventId: batch[0]!.envelope.id, lastEventId: batch.at(-1)!.envelope.id }, 'events emitted');
    }
    progress.advance(batch);
  });

  return {
    io,
    emittedThrough: () => progress.through,
    revokeSessions(sessionIds, message = 'The session was signed out') {
      if (sessionIds.length === 0) return;
      closeSessions(sessionIds, message);
      // The other nodes close theirs on the adapter's message; a lone node (the in-memory adapter) has none to tell.
      void io
        .of('/')
        .adapter.serverCount()
        .then((nodes) => {
          if (nodes > 1) io.serverSideEmit('session:revoked', sessionIds, message);
        })
        .catch((err: unknown) => logger.warn({ err }, 'session revocation not sent to the other nodes'));
    },
    // This node's sockets only (`io.local`): with the Redis adapter, io.emit would reach every node's clients.
    async drain(reconnectInMs) {
      io.local.emit('server:draining', { reconnectInMs });
      await closeWithReason(io.local, 'SERVER_DRAINING', 'The server is shutting down; reconnect');
    },
    async close() {
      unsubscribe();
      expiry.stop();
      progress.close();
      io.local.disconnectSockets(true);
      await new Promise<void>((resolve) => {
        io.close(() => resolve());
      });
    },
  };
}
