import type { Server as HttpServer } from 'node:http';
import {
  type ClientToServerEvents,
  type ErrorCode,
  FollowTarget,
  HandshakeAuth,
  PROTOCOL_VERSION,
  ReauthRequest,
  type ServerToClientEvents,
  SlotcastError,
  type SocketErrorBody,
} from '@slotcast/protocol';
import type { Logger } from 'pino';
import { Server, type Socket } from 'socket.io';
import type { EventBus } from '../bus/event-bus.js';
import { getBooking } from '../store/bookings-repo.js';
import { getResource } from '../store/catalog-repo.js';
import type { Db } from '../store/db.js';
import type { StoredEvent } from '../store/event-log.js';
import type { AuthService } from '../usecases/auth.js';
import { originAllowed } from './origin.js';
import { replayThenGoLive } from './replay.js';
import { assignedRooms, authorizeFollow, recipientRooms, resourceRoom, sessionRoom } from './rooms.js';
import { scheduleNotices } from './schedule-notice.js';

export interface SocketData {
  userId: string;
  role: 'customer' | 'staff' | 'admin';
  vendorId: string | null;
  sessionId: string;
  expiresAt: number;
  cursor: number | null;
  /** Resolves when replay is done and the socket is in its rooms. */
  live: Promise<void>;
}

const CLOSE_GRACE_MS = 100;

export type GatewayServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type GatewaySocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface GatewayOptions {
  httpServer: HttpServer;
  db: Db;
  bus: EventBus;
  auth: AuthService;
  logger: Logger;
  allowedOrigins: readonly string[];
  /** Largest message a client may send. */
  maxMessageBytes?: number;
  /** How long before expiry the server asks for a fresh token. */
  refreshLeadMs?: number;
}

export interface Gateway {
  io: GatewayServer;
  emittedThrough(): number;
  /** Closes every socket of a revoked session. */
  revokeSession(sessionId: string): void;
  /** Tells every client to reconnect (elsewhere) and closes their sockets. */
  drain(reconnectInMs: number): Promise<void>;
  close(): Promise<void>;
}

const coded = (code: ErrorCode, message: string, extra: Partial<SocketErrorBody> = {}): SocketErrorBody => ({
  code,
  message,
  ...extra,
});

function toSocketError(err: unknown): SocketErrorBody {
  if (err instanceof SlotcastError) return coded(err.code, err.message);
  return coded('INTERNAL', 'Internal error');
}

export function attachGateway(opts: GatewayOptions): Gateway {
  const { db, bus, auth, logger } = opts;
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
  const refreshLeadMs = opts.refreshLeadMs ?? 60_000;
  let emittedThrough = bus.lastDeliveredId;

  // Authenticate the handshake: signature, expiry and revocation, before the socket exists.
  io.use(async (socket, next) => {
    const parsed = HandshakeAuth.safeParse(socket.handshake.auth);
    if (!parsed.success) {
      const noToken = !socket.handshake.auth || typeof socket.handshake.auth.token !== 'string';
      return next(
        connectError(
          noToken ? coded('AUTH_REQUIRED', 'auth.token is required') : coded('VALIDATION_FAILED', 'auth is not valid'),
        ),
      );
    }
    try {
      const claims = await auth.authenticate(parsed.data.token);
      socket.data = {
        userId: claims.userId,
        role: claims.role,
        vendorId: claims.vendorId,
        sessionId: claims.sessionId,
        expiresAt: claims.expiresAt.getTime(),
        cursor: parsed.data.lastEventId ?? null,
        live: Promise.resolve(),
      };
      next();
    } catch (err) {
      const body = toSocketError(err);
      logger.info({ code: body.code, transport: socket.conn.transport.name }, 'socket auth failed');
      next(connectError(body));
    }
  });

  io.on('connection', (socket) => {
    const d = socket.data;
    logger.info(
      { socketId: socket.id, userId: d.userId, role: d.role, transport: socket.conn.transport.name },
      'socket connected',
    );
    const rooms = assignedRooms(d);
    socket.emit('session', {
      userId: d.userId,
      role: d.role,
      vendorId: d.vendorId,
      rooms,
      protocolVersion: PROTOCOL_VERSION,
      accessTokenExpiresAt: new Date(d.expiresAt).toISOString(),
    });
    const expiry = new ExpiryTimers(socket, refreshLeadMs);
    expiry.schedule(d.expiresAt);

    d.live = (async () => {
      if (d.cursor === null) {
        socket.join(rooms);
        return;
      }
      const outcome = await replayThenGoLive(
        { db, emittedThrough: () => emittedThrough },
        {
          all: d.role === 'admin',
          vendorId: d.role === 'staff' ? d.vendorId : null,
          customerId: d.role === 'customer' ? d.userId : null,
        },
        d.cursor,
        (batch) => socket.emit('events', batch),
        () => socket.join(rooms),
        () => socket.disconnected,
      );
      if (outcome.kind === 'resync') socket.emit('resync:required', outcome.info);
      else socket.emit('replay:done', { lastEventId: outcome.lastEventId, replayed: outcome.replayed });
    })().catch((err) => {
      logger.warn({ err, socketId: socket.id }, 'replay failed; closing socket so the client retries');
      socket.disconnect(true);
    });

    socket.on(
      'follow',
      (raw, ack) =>
        void handle(ack, async () => {
          const target = FollowTarget.parse(raw);
          await d.live;
          const room = await authorizeFollow(d, target, {
            booking: (id) => getBooking(db, id),
            resource: (id) => getResource(db, id),
          });
          socket.join(room);
          return { room };
        }),
    );
    socket.on(
      'unfollow',
      (raw, ack) =>
        void handle(ack, async () => {
          const target = FollowTarget.parse(raw);
          const room = `${target.kind}:${target.id}`;
          socket.leave(room);
          return { room };
        }),
    );
    socket.on(
      'auth:refresh',
      (raw, ack) =>
        void handle(ack, async () => {
          const { token } = ReauthRequest.parse(raw);
          const claims = await auth.authenticate(token);
          if (claims.userId !== d.userId)
            throw new SlotcastError('AUTH_TOKEN_INVALID', 'The token is for another user');
          d.expiresAt = claims.expiresAt.getTime();
          if (claims.sessionId !== d.sessionId) {
            socket.leave(sessionRoom(d.sessionId));
            d.sessionId = claims.sessionId;
            socket.join(sessionRoom(d.sessionId));
          }
          expiry.schedule(d.expiresAt);
          return { expiresAt: claims.expiresAt.toISOString() };
        }),
    );
    socket.on('disconnect', (reason) => {
      expiry.clear();
      logger.info({ socketId: socket.id, userId: d.userId, reason }, 'socket disconnected');
    });
  });

  // Live fan-out: the bus hands over committed events in id order. Consecutive events with the same recipients go
  // out as one frame; Socket.IO encodes each frame once for all its recipients.
  const unsubscribe = bus.subscribe((batch) => {
    let run: StoredEvent[] = [];
    let runKey = '';
    let runRooms: string[] = [];
    const flush = () => {
      if (run.length)
        io.local.to(runRooms).emit(
          'events',
          run.map((e) => e.envelope),
        );
      run = [];
    };
    for (const e of batch) {
      const rooms = recipientRooms(e);
      const key = rooms.join('|');
      if (key !== runKey) {
        flush();
        runKey = key;
        runRooms = rooms;
      }
      run.push(e);
      for (const notice of scheduleNotices(e))
        io.local.to(resourceRoom(notice.resourceId)).emit('schedule:changed', notice);
    }
    flush();
    emittedThrough = batch.at(-1)?.envelope.id ?? emittedThrough;
  });

  return {
    io,
    emittedThrough: () => emittedThrough,
    revokeSession(sessionId) {
      const room = sessionRoom(sessionId);
      io.in(room).emit('closing', { code: 'SESSION_REVOKED', message: 'The session was signed out' });
      // Let the reason reach the client before the transport closes.
      setTimeout(() => io.in(room).disconnectSockets(true), CLOSE_GRACE_MS).unref();
    },
    async drain(reconnectInMs) {
      io.emit('server:draining', { reconnectInMs });
      io.emit('closing', { code: 'SERVER_DRAINING', message: 'The server is shutting down; reconnect' });
      await new Promise((r) => setTimeout(r, CLOSE_GRACE_MS));
      io.disconnectSockets(true);
    },
    async close() {
      unsubscribe();
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => {
        io.close(() => resolve());
      });
    },
  };
}

function connectError(body: SocketErrorBody): Error & { data: SocketErrorBody } {
  const err = new Error(body.message) as Error & { data: SocketErrorBody };
  err.data = body;
  return err;
}

/** Every client message is acknowledged: `{ ok: true, ... }` or `{ ok: false, error }` with a code. */
async function handle<T extends object>(ack: unknown, fn: () => Promise<T>): Promise<void> {
  const reply = typeof ack === 'function' ? (ack as (res: unknown) => void) : () => {};
  try {
    reply({ ok: true, ...(await fn()) });
  } catch (err) {
    if (err instanceof Error && err.name === 'ZodError') {
      reply({ ok: false, error: coded('VALIDATION_FAILED', 'The message is not valid') });
      return;
    }
    reply({ ok: false, error: toSocketError(err) });
  }
}

/** Asks for a fresh token shortly before expiry, and closes the socket with a coded reason if none came. */
class ExpiryTimers {
  private warn: NodeJS.Timeout | null = null;
  private close: NodeJS.Timeout | null = null;
  constructor(
    private readonly socket: GatewaySocket,
    private readonly leadMs: number,
  ) {}
  schedule(expiresAt: number) {
    this.clear();
    const inMs = expiresAt - Date.now();
    this.warn = setTimeout(
      () => this.socket.emit('auth:expiring', { expiresAt: new Date(expiresAt).toISOString() }),
      Math.max(0, inMs - this.leadMs),
    );
    this.close = setTimeout(
      () => {
        this.socket.emit('closing', {
          code: 'AUTH_TOKEN_EXPIRED',
          message: 'The access token expired; reconnect with a fresh one',
        });
        setTimeout(() => this.socket.disconnect(true), CLOSE_GRACE_MS).unref();
      },
      Math.max(0, inMs),
    );
  }
  clear() {
    if (this.warn) clearTimeout(this.warn);
    if (this.close) clearTimeout(this.close);
  }
}
