import {
  type ClientAck,
  type ClientMessageName,
  type FollowAck,
  FollowManyRequest,
  FollowTarget,
  HeartbeatRequest,
  ReauthRequest,
  SlotcastError,
} from '@slotcast/protocol';
import type { Logger } from 'pino';
import type { AuthService } from '../usecases/auth.js';
import type { RealtimeAccess } from '../usecases/realtime-access.js';
import type { ExpiryTimers } from './expiry-timers.js';
import { toSocketError } from './socket-errors.js';
import type { GatewaySocket } from './socket-types.js';

export interface ClientMessageDeps {
  auth: AuthService;
  access: Pick<RealtimeAccess, 'authorizeFollow'>;
  expiry: ExpiryTimers<GatewaySocket>;
  logger: Logger;
}

type Handler = (this: GatewaySocket, raw: unknown, ack: unknown) => void;
export type ClientMessageHandlers = Record<ClientMessageName, Handler>;

/** Every client message is acknowledged: `{ ok: true, ... }` or `{ ok: false, error }` with a code. */
async function answer<K extends ClientMessageName>(
  ack: unknown,
  fn: () => Promise<Omit<Extract<ClientAck<K>, { ok: true }>, 'ok'>>,
): Promise<void> {
  const reply = typeof ack === 'function' ? (ack as (res: ClientAck<K>) => void) : () => {};
  try {
    reply({ ok: true, ...(await fn()) } as ClientAck<K>);
  } catch (err) {
    reply({ ok: false, error: toSocketError(err) } as ClientAck<K>);
  }
}

/**
 * The handlers of client messages, made once per gateway and shared by every socket (Socket.IO calls them with the
 * socket as `this`), so a connection costs no closures. Each validates with the protocol's schema first.
 */
export function clientMessageHandlers({ auth, access, expiry, logger }: ClientMessageDeps): ClientMessageHandlers {
  async function follow(socket: GatewaySocket, target: FollowTarget): Promise<FollowAck> {
    try {
      const room = await access.authorizeFollow(socket.data.claims, target);
      socket.join(room);
      return { ok: true, room };
    } catch (err) {
      return { ok: false, error: toSocketError(err) };
    }
  }
  return {
    follow(raw, ack) {
      void answer<'follow'>(ack, async () => {
        const target = FollowTarget.parse(raw);
        await this.data.live;
        const res = await follow(this, target);
        if (!res.ok) throw new SlotcastError(res.error.code, res.error.message);
        logger.debug({ socketId: this.id, userId: this.data.claims.userId, room: res.room }, 'socket followed');
        return { room: res.room };
      });
    },
    'follow:many'(raw, ack) {
      void answer<'follow:many'>(ack, async () => {
        const { targets } = FollowManyRequest.parse(raw);
        await this.data.live;
        return { results: await Promise.all(targets.map((t) => follow(this, t))) };
      });
    },
    unfollow(raw, ack) {
      void answer<'unfollow'>(ack, async () => {
        const target = FollowTarget.parse(raw);
        const room = `${target.kind}:${target.id}`;
        this.leave(room);
        return { room };
      });
    },
    'auth:refresh'(raw, ack) {
      void answer<'auth:refresh'>(ack, async () => {
        const { token } = ReauthRequest.parse(raw);
        const claims = await auth.authenticate(token);
        const d = this.data;
        if (claims.userId !== d.claims.userId) {
          throw new SlotcastError('AUTH_TOKEN_INVALID', 'The token is for another user');
        }
        // The new token's expiry; and a sign-out closes the sockets of the session they last authenticated with.
        d.claims = claims;
        expiry.schedule(this);
        return { expiresAt: new Date(claims.expiresAt).toISOString() };
      });
    },
    // No work and no budget: answering proves the socket and this node's event loop are alive.
    heartbeat(raw, ack) {
      void answer<'heartbeat'>(ack, async () => {
        HeartbeatRequest.parse(raw);
        return {};
      });
    },
  };
}

/** The one listener of every socket's client messages (`socket.onAny`): made once per gateway, like the handlers. */
export type ClientMessageListener = (this: GatewaySocket, message: string, ...args: unknown[]) => void;

/**
 * Routes each client message to its handler, after its budget (socket-limits.ts) when there is one. One listener per
 * socket, shared, instead of one per message name: a socket's listener table costs memory for every name it holds.
 * Messages without a handler are ignored, as before (nothing answers them).
 */
export function clientMessageListener(
  handlers: ClientMessageHandlers,
  budget?: (socket: GatewaySocket, message: string, ack: unknown) => Promise<boolean>,
): ClientMessageListener {
  const named = new Map(Object.entries(handlers) as [string, Handler][]);
  return function onMessage(message, raw, ack) {
    const handler = named.get(message);
    if (!handler) return;
    if (!budget) return handler.call(this, raw, ack);
    void budget(this, message, ack).then(
      (allowed) => allowed && handler.call(this, raw, ack),
      () => handler.call(this, raw, ack),
    );
  };
}
