import { z } from 'zod';
import { Id, IsoDateTime, Role } from './entities.js';
import { ERRORS, type ErrorCode } from './errors.js';
import { EventFrameV2 } from './event-frame.js';
import { EventEnvelope } from './events.js';
import { OpsSample } from './ops.js';
import { PROTOCOL_VERSION } from './version.js';

/**
 * Every socket message, both directions, as a zod schema; the typed events maps below are derived from them, so the
 * server, the SDK and the web app share one definition.
 */

/** The oldest client protocol version this server still serves. */
export const MIN_CLIENT_PROTOCOL_VERSION = 1 as const;

/** Sent in the Socket.IO handshake `auth` field. */
export const HandshakeAuth = z.object({
  token: z.string().min(1).max(4096),
  /** The id of the last event this client processed; omitted on a first connection (live only). */
  lastEventId: z.number().int().min(0).optional(),
  /** The client's protocol version; outside what the server speaks it is refused with PROTOCOL_*_TOO_OLD. */
  protocolVersion: z.number().int().min(0).optional(),
});
export type HandshakeAuth = z.infer<typeof HandshakeAuth>;

/**
 * Why a peer speaking `version` cannot talk to one speaking `PROTOCOL_VERSION` (accepting down to `minVersion`), or
 * null when it can. Used by the server on a handshake and by the SDK on envelopes.
 */
export function protocolIncompatibility(
  version: number,
  minVersion: number = MIN_CLIENT_PROTOCOL_VERSION,
): 'PROTOCOL_CLIENT_TOO_OLD' | 'PROTOCOL_SERVER_TOO_OLD' | null {
  if (version < minVersion) return 'PROTOCOL_CLIENT_TOO_OLD';
  if (version > PROTOCOL_VERSION) return 'PROTOCOL_SERVER_TOO_OLD';
  return null;
}

export const FollowTarget = z.strictObject({ kind: z.enum(['booking', 'resource']), id: Id });
export type FollowTarget = z.infer<typeof FollowTarget>;
export const ReauthRequest = z.strictObject({ token: z.string().min(1).max(4096) });
export type ReauthRequest = z.infer<typeof ReauthRequest>;
/** Largest number of targets in one `follow:many` (a reconnecting client sends everything it follows at once). */
export const MAX_FOLLOWS_PER_MESSAGE = 100;
export const FollowManyRequest = z.strictObject({ targets: z.array(FollowTarget).min(1).max(MAX_FOLLOWS_PER_MESSAGE) });
export type FollowManyRequest = z.infer<typeof FollowManyRequest>;
/** The SDK's liveness check: an empty request the server acknowledges at once (its period is the client's choice). */
export const HeartbeatRequest = z.strictObject({});
export type HeartbeatRequest = z.infer<typeof HeartbeatRequest>;

const ERROR_CODES = Object.keys(ERRORS) as [ErrorCode, ...ErrorCode[]];
export const SocketErrorBody = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  retryAfterMs: z.number().int().min(0).optional(),
});
export type SocketErrorBody = z.infer<typeof SocketErrorBody>;

/** Every client message is acknowledged: `{ ok: true, ...result }` or `{ ok: false, error }`. */
const ack = <T extends z.ZodRawShape>(shape: T) =>
  z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), ...shape }),
    z.object({ ok: z.literal(false), error: SocketErrorBody }),
  ]);
export type Ack<T = Record<string, never>> = ({ ok: true } & T) | { ok: false; error: SocketErrorBody };

export const FollowAck = ack({ room: z.string() });
export type FollowAck = z.infer<typeof FollowAck>;
export const ReauthAck = ack({ expiresAt: IsoDateTime });
export type ReauthAck = z.infer<typeof ReauthAck>;
/** One answer per target of `follow:many`, in the same order. */
export const FollowManyAck = ack({ results: z.array(FollowAck) });
export type FollowManyAck = z.infer<typeof FollowManyAck>;
export const HeartbeatAck = ack({});
export type HeartbeatAck = z.infer<typeof HeartbeatAck>;

export const EventBatch = z.array(EventEnvelope);
/** An `events` frame: an array of envelopes to a client of protocol 1, the compact form to one of 2 (event-frame.ts;
 * `decodeEventFrame` reads both). */
export const EventFrame = z.union([EventBatch, EventFrameV2]);
export type EventFrame = z.infer<typeof EventFrame>;
export const ReplayDone = z.object({
  /** The last event id sent in the replay (the cursor the client now holds). */
  lastEventId: z.number().int().min(0),
  replayed: z.number().int().min(0),
});
export type ReplayDone = z.infer<typeof ReplayDone>;
export const ResyncRequired = z.object({
  code: z.literal('RESYNC_REQUIRED'),
  message: z.string(),
  /** The oldest event id still in the log; reload a snapshot over REST, then reconnect from `latestEventId`. */
  oldestEventId: z.number().int().min(0),
  latestEventId: z.number().int().min(0),
});
export type ResyncRequired = z.infer<typeof ResyncRequired>;
export const SessionInfo = z.object({
  userId: Id,
  role: Role,
  vendorId: Id.nullable(),
  rooms: z.array(z.string()),
  protocolVersion: z.number().int(),
  accessTokenExpiresAt: IsoDateTime,
});
export type SessionInfo = z.infer<typeof SessionInfo>;
export const AuthExpiring = z.object({ expiresAt: IsoDateTime });
export type AuthExpiring = z.infer<typeof AuthExpiring>;
export const ServerDraining = z.object({ reconnectInMs: z.number().int().min(0) });
export type ServerDraining = z.infer<typeof ServerDraining>;

/** Close reasons the server sends before disconnecting a socket itself. */
export const DISCONNECT_REASONS = ['AUTH_TOKEN_EXPIRED', 'SESSION_REVOKED', 'RATE_LIMITED', 'SERVER_DRAINING'] as const;
export const DisconnectReason = z.enum(DISCONNECT_REASONS);
export type DisconnectReason = z.infer<typeof DisconnectReason>;
export const Closing = z.object({ code: DisconnectReason, message: z.string() });
export type Closing = z.infer<typeof Closing>;

const Interval = z.object({ startAt: IsoDateTime, endAt: IsoDateTime });
/** A live notice to followers of a resource's schedule: intervals taken and released, without personal data. */
export const ScheduleChanged = z.object({
  resourceId: Id,
  /** The last event the notice covers (notices of one batch are merged per resource). */
  eventId: z.number().int().positive(),
  /** The booking of the last change the notice covers. */
  bookingId: Id,
  /** Every booking whose changes the notice covers, when more than one. */
  bookingIds: z.array(Id).optional(),
  /** Each interval appears once, in `taken` or in `released`, as the last change left it. */
  taken: z.array(Interval),
  released: z.array(Interval),
});
export type ScheduleChanged = z.infer<typeof ScheduleChanged>;

/** Server → client messages: name → payload schema. */
export const SERVER_TO_CLIENT = {
  /** Booking events (and future types), in id order, batched per tick. Replay and live use the same message. */
  events: EventFrame,
  'replay:done': ReplayDone,
  'resync:required': ResyncRequired,
  session: SessionInfo,
  /** Sent shortly before the access token expires: reply with `auth:refresh`, or the socket is closed. */
  'auth:expiring': AuthExpiring,
  /** The server is going away (deploy, shutdown): reconnect, ideally to another node. */
  'server:draining': ServerDraining,
  /** Sent right before the server closes the socket itself, with the reason. */
  closing: Closing,
  /** To followers of a resource (see `follow`): live, not replayed; reload availability over REST after a reconnect. */
  'schedule:changed': ScheduleChanged,
  /** To the admin room: one node's live operations sample (ops.ts), every few seconds. */
  'ops:sample': OpsSample,
} as const;

/** Client → server messages: name → request and acknowledgement schemas. */
export const CLIENT_TO_SERVER = {
  follow: { request: FollowTarget, ack: FollowAck },
  unfollow: { request: FollowTarget, ack: FollowAck },
  /** Several follows in one message (after a reconnect); one answer per target. */
  'follow:many': { request: FollowManyRequest, ack: FollowManyAck },
  'auth:refresh': { request: ReauthRequest, ack: ReauthAck },
  /** Proves the connection carries messages both ways; the SDK sends it at the interval its connection policy sets. */
  heartbeat: { request: HeartbeatRequest, ack: HeartbeatAck },
} as const;

type ServerMessages = typeof SERVER_TO_CLIENT;
type ClientMessages = typeof CLIENT_TO_SERVER;
export type ServerMessageName = keyof ServerMessages;
export type ClientMessageName = keyof ClientMessages;
export type ServerMessage<K extends ServerMessageName> = z.infer<ServerMessages[K]>;
export type ClientRequest<K extends ClientMessageName> = z.infer<ClientMessages[K]['request']>;
export type ClientAck<K extends ClientMessageName> = z.infer<ClientMessages[K]['ack']>;

/** Socket.IO's typed events, derived from the schemas above. */
export type ServerToClientEvents = { [K in ServerMessageName]: (payload: ServerMessage<K>) => void };
export type ClientToServerEvents = {
  [K in ClientMessageName]: (payload: ClientRequest<K>, ack: (res: ClientAck<K>) => void) => void;
};
