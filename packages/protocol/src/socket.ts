import { z } from 'zod';
import { Id } from './entities.js';
import type { ErrorCode } from './errors.js';
import type { EventEnvelope } from './events.js';
import { PROTOCOL_VERSION } from './version.js';

/** Sent in the Socket.IO handshake `auth` field. */
export const HandshakeAuth = z.object({
  token: z.string().min(1).max(4096),
  /** The id of the last event this client processed; omitted on a first connection (live only). */
  lastEventId: z.number().int().min(0).optional(),
  protocolVersion: z.literal(PROTOCOL_VERSION).optional(),
});
export type HandshakeAuth = z.infer<typeof HandshakeAuth>;

export const FollowTarget = z.strictObject({ kind: z.enum(['booking', 'resource']), id: Id });
export type FollowTarget = z.infer<typeof FollowTarget>;
export const ReauthRequest = z.strictObject({ token: z.string().min(1).max(4096) });

export interface SocketErrorBody {
  code: ErrorCode;
  message: string;
  retryAfterMs?: number;
}
export type Ack<T = Record<string, never>> = ({ ok: true } & T) | { ok: false; error: SocketErrorBody };

export interface ReplayDone {
  /** The last event id sent in the replay (the cursor the client now holds). */
  lastEventId: number;
  replayed: number;
}
export interface ResyncRequired {
  code: 'RESYNC_REQUIRED';
  message: string;
  /** The oldest event id still in the log; reload a snapshot over REST, then reconnect from `latestEventId`. */
  oldestEventId: number;
  latestEventId: number;
}
export interface SessionInfo {
  userId: string;
  role: string;
  vendorId: string | null;
  rooms: string[];
  protocolVersion: number;
  accessTokenExpiresAt: string;
}

export interface ServerToClientEvents {
  /** Booking events (and future types), in id order, batched per tick. Replay and live use the same message. */
  events: (batch: EventEnvelope[]) => void;
  'replay:done': (info: ReplayDone) => void;
  'resync:required': (info: ResyncRequired) => void;
  session: (info: SessionInfo) => void;
  /** Sent shortly before the access token expires: reply with `auth:refresh`, or the socket is closed. */
  'auth:expiring': (info: { expiresAt: string }) => void;
  /** The server is going away (deploy, shutdown): reconnect, ideally to another node. */
  'server:draining': (info: { reconnectInMs: number }) => void;
  /** Sent right before the server closes the socket itself, with the reason. */
  closing: (info: { code: DisconnectReason; message: string }) => void;
  /** To followers of a resource (see `follow`): live, not replayed; reload availability over REST after a reconnect. */
  'schedule:changed': (info: ScheduleChanged) => void;
}

export interface ClientToServerEvents {
  follow: (target: FollowTarget, ack: (res: Ack<{ room: string }>) => void) => void;
  unfollow: (target: FollowTarget, ack: (res: Ack<{ room: string }>) => void) => void;
  'auth:refresh': (req: { token: string }, ack: (res: Ack<{ expiresAt: string }>) => void) => void;
}

/** Close reasons the server sends before disconnecting a socket itself. */
export const DISCONNECT_REASONS = ['AUTH_TOKEN_EXPIRED', 'SESSION_REVOKED', 'RATE_LIMITED', 'SERVER_DRAINING'] as const;
export type DisconnectReason = (typeof DISCONNECT_REASONS)[number];

/** A live notice to followers of a resource's schedule: intervals taken and released, without personal data. */
export interface ScheduleChanged {
  resourceId: string;
  eventId: number;
  bookingId: string;
  taken: { startAt: string; endAt: string }[];
  released: { startAt: string; endAt: string }[];
}
