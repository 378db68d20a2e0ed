import type { Server as HttpServer } from 'node:http';
import {
  type ClientToServerEvents,
  type ErrorCode,
  type EventEnvelope,
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
import type { RealtimeObserver } from '../observability/realtime-observer.js';
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
  /** Metrics and tracing of sockets, replays and emissions (observability/realtime-observer.ts). */
  observer?: RealtimeObserver;
  /** Handshake middleware that runs before authentication (rate limits: realtime/socket-limits.ts). */
  beforeAuth?: Parameters<GatewayServer['use']>[0][];
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

  const observer = opts.observer;
  for (const mw of opts.beforeAuth ?? []) io.use(mw);
  // Authenticate the handshake: signature, expiry and revocation, before the socket exists.
  io.use(async (socket, next) => {
    const parsed = HandshakeAuth.safeParse(socket.handshake.auth);
    if (!parsed.success) {
      // Absent is AUTH_REQUIRED; present but not a string (`{ token: 12345 }`) is a malformed handshake.
      const noToken = socket.handshake.auth?.token === undefined;
      observer?.authFailed(noToken ? 'AUTH_REQUIRED' : 'VALIDATION_FAILED');
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
      observer?.authFailed(body.code);
      next(connectError(body));
    }
  });

  io.on('connection', (socket) => {
    const d = socket.data;
    logger.info(
      { socketId: socket.id, userId: d.userId, role: d.role, transport: socket.conn.transport.name },
      'socket connected',
    );
    observer?.connected(socket.conn.transport.name);
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
        logger.info({ socketId: socket.id, userId: d.userId, rooms: rooms.length }, 'socket joined its rooms');
        // A first connection replays nothing, but learns the position it is live from: its first cursor.
        socket.emit('replay:done', { lastEventId: emittedThrough, replayed: 0 });
        return;
      }
      observer?.replayStarted();
      const outcome = await replayThenGoLive(
        { db, emittedThrough: () => emittedThrough },
        {
          userId: d.userId,
          all: d.role === 'admin',
          vendorId: d.role === 'staff' ? d.vendorId : null,
          customerId: d.role === 'customer' ? d.userId : null,
        },
        d.cursor,
        (batch) => socket.emit('events', batch),
        () => socket.join(rooms),
        () => socket.disconnected,
      );
      observer?.replayFinished(outcome);
      logger.info(
        outcome.kind === 'resync'
          ? { socketId: socket.id, userId: d.userId, cursor: d.cursor, resync: outcome.info.latestEventId }
          : { socketId: socket.id, userId: d.userId, eventId: outcome.lastEventId, replayed: outcome.replayed },
        outcome.kind === 'resync' ? 'socket joined its rooms; resync required' : 'socket replayed and joined its rooms',
      );
      if (outcome.kind === 'resync') socket.emit('resync:required', outcome.info);
      else socket.emit('replay:done', { lastEventId: outcome.lastEventId, replayed: outcome.replayed });
    })().catch((err) => {
      observer?.replayFailed();
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
          logger.debug({ socketId: socket.id, userId: d.userId, room }, 'socket followed');
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
      observer?.disconnected(reason);
    });
  });

  // Live fan-out: the bus hands over committed events in id order; each socket gets the batch's events for it in one
  // frame (see emitCoalesced).
  const unsubscribe = bus.subscribe((batch) => {
    emitCoalesced(io, batch);
    observer?.emitted(batch);
    if (batch.length && logger.isLevelEnabled('debug')) {
      logger.debug({ eventId: batch[0]!.envelope.id, lastEventId: batch.at(-1)!.envelope.id }, 'events emitted');
    }
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
    // This node's sockets only (`io.local`): with the Redis adapter, io.emit would reach every node's clients.
    async drain(reconnectInMs) {
      io.local.emit('server:draining', { reconnectInMs });
      io.local.emit('closing', { code: 'SERVER_DRAINING', message: 'The server is shutting down; reconnect' });
      await new Promise((r) => setTimeout(r, CLOSE_GRACE_MS));
      io.local.disconnectSockets(true);
    },
    async close() {
      unsubscribe();
      io.local.disconnectSockets(true);
      await new Promise<void>((resolve) => {
        io.close(() => resolve());
      });
    },
  };
}

type Frame = { rooms: string[]; events: EventEnvelope[] };

/**
 * Sends a batch as one `events` frame per socket rather than one per event: under load a batch holds hundreds of
 * events and a vendor's staff share most of them, and each frame is a write (and a message to decode) per socket.
 * Rooms that get exactly the same events share a frame, which Socket.IO encodes once and sends to each member once.
 * A socket in rooms that get different events (staff following a booking of their own vendor) is left out of those
 * frames and gets the union in a frame of its own: in id order, each event once.
 */
function emitCoalesced(io: GatewayServer, batch: readonly StoredEvent[]): void {
  const members = io.sockets.adapter.rooms;
  // Per room with a socket on this node: its events, and their ids as a key to find rooms that get the same ones.
  const perRoom = new Map<string, { key: string; events: EventEnvelope[] }>();
  for (const e of batch) {
    for (const room of recipientRooms(e)) {
      if (!members.has(room)) continue;
      const r = perRoom.get(room);
      if (r) {
        r.key += `,${e.envelope.id}`;
        r.events.push(e.envelope);
      } else perRoom.set(room, { key: String(e.envelope.id), events: [e.envelope] });
    }
  }
  const frames = new Map<string, Frame>();
  for (const [room, r] of perRoom) {
    const f = frames.get(r.key);
    if (f) f.rooms.push(room);
    else frames.set(r.key, { rooms: [room], events: r.events });
  }
  if (frames.size <= 1) {
    for (const f of frames.values()) io.local.to(f.rooms).emit('events', f.events);
  } else {
    const frameOf = new Map<string, Frame>();
    const several = new Map<string, Frame[]>();
    for (const f of frames.values()) {
      for (const room of f.rooms) {
        for (const id of members.get(room)!) {
          const first = frameOf.get(id);
          if (first === undefined) frameOf.set(id, f);
          else if (first !== f) {
            const list = several.get(id);
            if (!list) several.set(id, [first, f]);
            else if (!list.includes(f)) list.push(f);
          }
        }
      }
    }
    const except = new Map<Frame, string[]>();
    for (const [id, list] of several) {
      for (const f of list) {
        const ids = except.get(f);
        if (ids) ids.push(id);
        else except.set(f, [id]);
      }
    }
    for (const f of frames.values()) {
      io.local
        .to(f.rooms)
        .except(except.get(f) ?? [])
        .emit('events', f.events);
    }
    for (const [id, list] of several) io.sockets.sockets.get(id)?.emit('events', unionById(list));
  }
  for (const e of batch) {
    for (const notice of scheduleNotices(e)) {
      const room = resourceRoom(notice.resourceId);
      if (members.has(room)) io.local.to(room).emit('schedule:changed', notice);
    }
  }
}

function unionById(frames: readonly Frame[]): EventEnvelope[] {
  const byId = new Map<number, EventEnvelope>();
  for (const f of frames) for (const e of f.events) byId.set(e.id, e);
  return [...byId.values()].sort((a, b) => a.id - b.id);
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
      // Never more than half the token's life ahead, so short-lived tokens do not ask again the moment they arrive.
      Math.max(0, inMs - Math.min(this.leadMs, inMs / 2)),
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
