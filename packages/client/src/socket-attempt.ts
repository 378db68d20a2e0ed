import { AuthExpiring, Closing, type HandshakeAuth, ServerDraining } from '@slotcast/protocol';
import { io } from 'socket.io-client';
import type { Clock } from './clock.js';
import { fromConnectError } from './connection-errors.js';
import type { ConnectionError, TransportName } from './connection-state.js';
import { type ConnectionOptions, DEFAULT_CONNECT_TIMEOUT_MS } from './realtime-options.js';
import type { ClientSocket } from './socket-ack.js';
import type { TransportChoice } from './transport-choice.js';
import { TransportTracker } from './transport-tracker.js';

/** What an attempt's socket tells its connection, while it is the current one; messages read with their schemas. */
export interface SocketAttemptEvents {
  /** The connection is up, over `transport` (null if not known), which may already count as a fallback. */
  connected(socket: ClientSocket, transport: TransportName | null, fallback: boolean): void;
  /** A change after connecting: an upgrade, or the wait for one given up. */
  transportChanged(transport: TransportName, fallback: boolean): void;
  /** The server refused the connection, or is closing it, with a code. */
  refused(error: ConnectionError, retryAfterMs?: number): void;
  /** The attempt failed, or the connection dropped, without a code from the server. */
  lost(error: ConnectionError): void;
  /** The server is shutting down; `reconnectInMs`: when it says to come back, if it does. */
  draining(reconnectInMs: number | undefined): void;
  /** The socket's token expires at `expiresAt` (epoch ms; NaN when the warning is unreadable). */
  expiring(socket: ClientSocket, expiresAt: number): void;
}

export interface SocketAttemptOptions {
  /** The connection's settings: url, socketOptions, connectTimeoutMs, upgradeGraceMs. */
  settings: ConnectionOptions;
  clock: Clock;
  /** Which transports this attempt opens with; told what the attempt proves about them. */
  transports: TransportChoice;
  /** The token this attempt authenticates with. */
  token: string;
  /** The protocol version and replay cursor to send, read when the transport opens. */
  protocolVersion: () => number;
  cursor: () => number | null;
  /** Whether this attempt is still its connection's current one: an abandoned attempt's events are ignored. */
  live: () => boolean;
}

/**
 * One connection attempt: a new socket (Socket.IO's own reconnection off) over the transports TransportChoice picks,
 * with the handshake built when its transport opens. It reads the socket's lifecycle events, tells TransportChoice
 * whether the transport worked, and reports the rest to its connection, which decides what comes next.
 */
export class SocketAttempt {
  readonly socket: ClientSocket;
  private readonly transports: TransportName[] | undefined;
  private tracker: TransportTracker | null = null;
  /** Whether the socket has connected (a close before that is a failed attempt). */
  private up = false;

  constructor(
    private readonly opts: SocketAttemptOptions,
    private readonly on: SocketAttemptEvents,
  ) {
    const { settings } = opts;
    this.transports = opts.transports.next();
    this.socket = io(settings.url ?? '', {
      ...settings.socketOptions,
      ...(this.transports ? { transports: this.transports } : {}),
      reconnection: false,
      autoConnect: false,
      forceNew: true,
      timeout: settings.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      // Evaluated when the transport opens, so the handshake carries the cursor as it is then.
      auth: (cb) => cb(this.handshake()),
    });
    this.listen();
  }

  /** Connects; call once the attempt is its connection's current one and its data messages are routed. */
  open(): void {
    const { settings, clock, transports } = this.opts;
    this.socket.connect();
    this.tracker = new TransportTracker(this.socket, {
      clock,
      graceMs: settings.upgradeGraceMs ?? 3_000,
      transports: this.transports ?? settings.socketOptions?.transports,
      upgrade: settings.socketOptions?.upgrade,
      onChange: (transport, fallback) => {
        transports.seen(transport, fallback);
        this.on.transportChanged(transport, fallback);
      },
      // A failed attempt like any other (counted, back-off with jitter), found out now rather than at the timeout.
      onClosedEarly: (description) => {
        if (!this.opts.live()) return;
        transports.failed();
        this.on.lost({ code: 'NETWORK', message: `closed before the connection opened (${description})` });
      },
    });
  }

  close(): void {
    this.tracker?.dispose();
    this.tracker = null;
    this.socket.disconnect();
  }

  private handshake(): HandshakeAuth {
    const { token, protocolVersion, cursor } = this.opts;
    const lastEventId = cursor();
    return { token, protocolVersion: protocolVersion(), ...(lastEventId === null ? {} : { lastEventId }) };
  }

  private listen(): void {
    const { socket, on } = this;
    const { live, transports } = this.opts;
    socket.on('connect', () => {
      if (!live()) return;
      this.up = true;
      const { transport, fallback } = this.tracker?.connected() ?? { transport: null, fallback: false };
      if (transport) transports.seen(transport, fallback);
      on.connected(socket, transport, fallback);
    });
    socket.on('connect_error', (err) => {
      if (!live()) return;
      const { error, retryAfterMs, fromServer } = fromConnectError(err);
      // A refusal the server sent over this transport proves the transport; an error or a timeout does not.
      if (!fromServer) transports.failed();
      on.refused(error, retryAfterMs);
    });
    // The server names its reason just before it closes the socket itself: act on it now.
    socket.on('closing', (raw) => {
      if (!live()) return;
      const info = Closing.safeParse(raw);
      on.refused(
        info.success
          ? { code: info.data.code, message: info.data.message }
          : { code: 'SERVER_DISCONNECT', message: 'the server closed the connection' },
      );
    });
    socket.on('disconnect', (reason) => {
      // "io client disconnect" is this side closing the socket; it has already decided what comes next.
      if (!live() || reason === 'io client disconnect') return;
      if (!this.up) transports.failed();
      on.lost({ code: reason === 'io server disconnect' ? 'SERVER_DISCONNECT' : 'NETWORK', message: reason });
    });
    socket.on('server:draining', (raw) => {
      if (!live()) return;
      on.draining(ServerDraining.safeParse(raw).data?.reconnectInMs);
    });
    socket.on('auth:expiring', (raw) => {
      if (!live()) return;
      const info = AuthExpiring.safeParse(raw);
      // Unreadable: treat the token as expiring now, so a fresh one is sent rather than none.
      on.expiring(socket, info.success ? Date.parse(info.data.expiresAt) : Number.NaN);
    });
  }
}
