import { PROTOCOL_VERSION } from '@slotcast/protocol';
import { type BackoffOptions, DEFAULT_BACKOFF } from './backoff.js';
import { type Clock, systemClock } from './clock.js';
import { fromThrown, reactionTo } from './connection-errors.js';
import { DEFAULT_CONNECTION_POLICY } from './connection-policy.js';
import type { ConnectionError, ConnectionStateStore } from './connection-state.js';
import { alwaysOnline, type NetworkStatus } from './network-status.js';
import type { ConnectionOptions } from './realtime-options.js';
import { ReconnectScheduler } from './reconnect-scheduler.js';
import type { ClientSocket } from './socket-ack.js';
import { SocketAttempt, type SocketAttemptEvents } from './socket-attempt.js';
import { SocketHeartbeat } from './socket-heartbeat.js';
import { SocketReauth } from './socket-reauth.js';
import type { TokenManager } from './token-manager.js';
import { TransportChoice } from './transport-choice.js';

/** What the connection asks of its owner. */
export interface ConnectionHooks {
  store: ConnectionStateStore;
  /** Before each handshake: load the cursor of the user about to connect. */
  prepare(userId: string): Promise<void>;
  /** The replay cursor to send, read when the transport opens. */
  cursor(): number | null;
  /** A new socket: route its data messages while `live()`. */
  attach(socket: ClientSocket, live: () => boolean): void;
  connected(): void;
  signedOut(error: ConnectionError): void;
  reportError(err: unknown): void;
}

/**
 * Keeps one authenticated socket up. Socket.IO's own reconnection is off: each attempt is a new socket (SocketAttempt)
 * with the current token and cursor in its handshake, after a full-jitter backoff; the server's coded refusals decide
 * what comes next. An attempt whose transport closes before the connection is up fails at once (TransportTracker), and
 * the attempt after a lost WebSocket connection opens a WebSocket directly (TransportChoice).
 */
export class RealtimeConnection {
  private readonly retries: ReconnectScheduler;
  private readonly reauth: SocketReauth;
  private readonly tokens: TokenManager;
  private readonly network: NetworkStatus;
  private readonly clock: Clock;
  private current: SocketAttempt | null = null;
  private readonly transports: TransportChoice;
  /** The token the current socket authenticated with (handshake or auth:refresh). */
  private socketToken: string | null = null;
  private running = false;
  private everConnected = false;
  private expiredRetryUsed = false;
  /** Lowered to 1 when a server of protocol 1 refuses 2 (a node not yet updated): it sends what this client reads. */
  private protocolVersion: number = PROTOCOL_VERSION;
  private userId: string | null = null;
  // Every connect, stop and offline bumps this, so an async step of an abandoned attempt does nothing.
  private seq = 0;
  private detach: (() => void)[] = [];
  private readonly heartbeat: SocketHeartbeat;

  constructor(
    private readonly opts: ConnectionOptions,
    private readonly hooks: ConnectionHooks,
  ) {
    this.tokens = opts.tokens;
    this.network = opts.network ?? alwaysOnline;
    this.clock = opts.clock ?? systemClock;
    this.transports = new TransportChoice(opts.socketOptions);
    const backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
    this.retries = new ReconnectScheduler({ ...backoff, clock: this.clock, random: opts.random ?? Math.random });
    const isCurrent = (socket: ClientSocket) => socket === this.current?.socket;
    this.heartbeat = new SocketHeartbeat({
      clock: this.clock,
      intervalMs: opts.heartbeatMs ?? DEFAULT_CONNECTION_POLICY.heartbeatMs.visible,
      ackTimeoutMs: opts.ackTimeoutMs ?? 5_000,
      isCurrent,
      onUnanswered: () => this.scheduleRetry({ code: 'NETWORK', message: 'heartbeat unanswered' }),
    });
    this.reauth = new SocketReauth({
      tokens: this.tokens,
      clock: this.clock,
      leadMs: opts.reauthLeadMs ?? 30_000,
      ackTimeoutMs: opts.ackTimeoutMs ?? 5_000,
      currentToken: () => this.socketToken,
      isCurrent,
      accepted: (token) => {
        this.socketToken = token;
      },
      // Refused or unanswered: a new connection authenticates with the fresh token in its handshake.
      failed: () => void this.connect(),
      reportError: hooks.reportError,
    });
  }

  /** The socket, while connected. */
  get socket(): ClientSocket | null {
    const socket = this.current?.socket;
    return socket?.connected ? socket : null;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.detach.push(
      this.network.subscribe((online) => this.onNetwork(online)),
      this.tokens.on('signedOut', ({ reason }) =>
        this.signedOut({ code: 'AUTH_REQUIRED', message: `signed out (${reason})` }),
      ),
      // Another user signed in: their events and cursor are not this connection's.
      this.tokens.on('change', (pair) => {
        if (pair && this.userId !== null && pair.user.id !== this.userId) void this.connect();
      }),
    );
    this.onNetwork(this.network.isOnline());
  }

  stop(lastError?: ConnectionError): void {
    this.running = false;
    this.seq++;
    this.retries.cancel();
    this.retries.reset();
    this.closeSocket();
    for (const off of this.detach.splice(0)) off();
    const patch = { status: 'offline', attempt: 0, nextRetryAt: null, transport: null } as const;
    this.hooks.store.update(lastError ? { ...patch, lastError } : patch);
  }

  /**
   * A new heartbeat interval (the connection policy's: longer when hidden, on saveData or a low battery). Socket.IO's
   * own ping interval is the server's, fixed at the handshake; this is the SDK's round trip on top of it. The next
   * heartbeat is due one new interval from now.
   */
  setHeartbeat(ms: number): void {
    this.heartbeat.setInterval(ms, this.socket);
  }

  /** New spacing for the coming reconnect attempts (the policy's, by network); an attempt already scheduled keeps its time. */
  setBackoff(backoff: Pick<BackoffOptions, 'baseMs' | 'capMs'>): void {
    this.retries.setBackoff(backoff);
  }

  /**
   * Sends a heartbeat now: after the page comes back to the front, or a pull to refresh, a socket that died while the
   * device slept is found out in one ack timeout rather than at the next beat (or Socket.IO's ping timeout).
   * Resolves whether the socket answered (false without a socket).
   */
  checkNow(): Promise<boolean> {
    const socket = this.socket;
    return socket ? this.heartbeat.beat(socket) : Promise.resolve(false);
  }

  retryNow(): void {
    if (!this.running) {
      this.start();
      return;
    }
    const { status } = this.hooks.store.get();
    if (status === 'connected' || status === 'polling-fallback') return;
    if (this.retries.paused) this.retries.reset();
    void this.connect();
  }

  private async connect(): Promise<void> {
    const seq = ++this.seq;
    this.retries.cancel();
    this.closeSocket();
    this.hooks.store.update({ status: this.reconnecting(), nextRetryAt: null, transport: null });
    let token: string | null;
    try {
      token = await this.tokens.getAccessToken();
    } catch (err) {
      // A refused refresh token has already signed out (and stopped this); anything else is worth a retry.
      if (seq === this.seq && this.running) this.scheduleRetry(fromThrown(err, 'AUTH_REFRESH_FAILED'));
      return;
    }
    const user = this.tokens.user;
    if (seq !== this.seq || !this.running) return;
    if (!token || !user) {
      this.signedOut({ code: 'AUTH_REQUIRED', message: 'not signed in' });
      return;
    }
    this.userId = user.id;
    await this.hooks.prepare(user.id).catch(this.hooks.reportError);
    if (seq !== this.seq || !this.running) return;

    this.socketToken = token;
    const live = () => attempt === this.current;
    const attempt: SocketAttempt = new SocketAttempt(
      {
        settings: this.opts,
        clock: this.clock,
        transports: this.transports,
        token,
        protocolVersion: () => this.protocolVersion,
        cursor: () => this.hooks.cursor(),
        live,
      },
      this.attemptEvents,
    );
    this.current = attempt;
    this.hooks.attach(attempt.socket, live);
    attempt.open();
  }

  /** What the current attempt's socket reports. */
  private readonly attemptEvents: SocketAttemptEvents = {
    connected: (socket, transport, fallback) => {
      this.everConnected = true;
      this.expiredRetryUsed = false;
      this.retries.reset();
      const status = fallback ? 'polling-fallback' : 'connected';
      this.hooks.store.update({ status, attempt: 0, nextRetryAt: null, transport, lastError: null });
      this.heartbeat.schedule(socket);
      this.hooks.connected();
    },
    transportChanged: (transport, fallback) =>
      this.hooks.store.update({ status: fallback ? 'polling-fallback' : 'connected', transport }),
    refused: (error, retryAfterMs = 0) => {
      const reaction = reactionTo(error.code);
      // Refresh once per successful connection, so a server whose clock runs ahead cannot make this loop.
      if (reaction === 'refresh-token' && !this.expiredRetryUsed) {
        void this.reconnectWithFreshToken(error);
      } else if (reaction === 'sign-out') {
        this.signedOut(error, true);
      } else if (reaction === 'drain') {
        this.reconnectAfter(this.retries.drainDelay(undefined), error);
      } else if (error.code === 'PROTOCOL_SERVER_TOO_OLD' && this.protocolVersion > 1) {
        // Protocol 1 frames decode as well (socket-messages.ts): ask again for those, at once.
        this.protocolVersion = 1;
        this.reconnectAfter(0, error);
      } else if (reaction === 'incompatible') {
        this.incompatible(error);
      } else if (reaction === 'give-up') {
        // Paused like after maxAttempts: retryNow() or the network coming back tries again.
        this.goOffline(error);
      } else {
        this.scheduleRetry(error, retryAfterMs);
      }
    },
    lost: (error) => this.scheduleRetry(error),
    draining: (ms) =>
      this.reconnectAfter(this.retries.drainDelay(ms), { code: 'SERVER_DRAINING', message: 'shutting down' }),
    expiring: (socket, expiresAt) => this.reauth.expiring(socket, expiresAt),
  };

  /**
   * The server and this client speak protocol versions that do not fit: retrying cannot help until one is updated, so
   * stop and say so (status `incompatible`); start() or retryNow() tries again, e.g. after the app was updated.
   */
  incompatible(error: ConnectionError): void {
    if (!this.running) return;
    this.stop(error);
    this.hooks.store.update({ status: 'incompatible' });
  }

  private async reconnectWithFreshToken(error: ConnectionError): Promise<void> {
    this.expiredRetryUsed = true;
    const rejected = this.socketToken ?? '';
    const seq = ++this.seq;
    this.retries.cancel();
    this.closeSocket();
    this.hooks.store.update({ status: this.reconnecting(), nextRetryAt: null, transport: null, lastError: error });
    try {
      await this.tokens.recoverFromExpired(rejected);
    } catch (err) {
      if (seq === this.seq && this.running) this.scheduleRetry(fromThrown(err, 'AUTH_REFRESH_FAILED'));
      return;
    }
    if (seq === this.seq && this.running) void this.connect();
  }

  private scheduleRetry(error: ConnectionError, minDelayMs = 0): void {
    this.closeSocket();
    if (!this.running) return;
    if (!this.network.isOnline()) {
      this.goOffline(error);
      return;
    }
    const delay = this.retries.failed(minDelayMs);
    if (delay === null) {
      // Paused until retryNow() or the network comes back.
      this.seq++;
      const attempt = this.retries.attempt;
      this.hooks.store.update({ status: 'offline', attempt, nextRetryAt: null, transport: null, lastError: error });
      return;
    }
    this.reconnectAfter(delay, error);
  }

  private reconnectAfter(delayMs: number, error: ConnectionError): void {
    this.seq++;
    this.closeSocket();
    const nextRetryAt = this.retries.runAfter(delayMs, () => void this.connect());
    this.hooks.store.update({
      status: this.reconnecting(),
      attempt: this.retries.attempt,
      nextRetryAt,
      transport: null,
      lastError: error,
    });
  }

  private reconnecting(): 'connecting' | 'reconnecting' {
    return this.everConnected ? 'reconnecting' : 'connecting';
  }

  private onNetwork(online: boolean): void {
    if (!this.running) return;
    if (online) {
      this.retries.reset();
      void this.connect();
    } else {
      this.goOffline({ code: 'OFFLINE', message: 'the device is offline' });
    }
  }

  private goOffline(error: ConnectionError): void {
    this.seq++;
    this.retries.cancel();
    this.closeSocket();
    this.hooks.store.update({ status: 'offline', nextRetryAt: null, transport: null, lastError: error });
  }

  private signedOut(error: ConnectionError, sessionOver = false): void {
    if (!this.running) return;
    const rejected = this.socketToken;
    this.stop(error);
    // Tell the TokenManager first (unless it already holds another token), so listeners see a consistent sign-out.
    if (sessionOver && rejected && this.tokens.session?.accessToken === rejected) {
      void this.tokens.signOut(error.code === 'SESSION_REVOKED' ? 'session-revoked' : 'token-invalid', error);
    }
    this.hooks.signedOut(error);
  }

  private closeSocket(): void {
    this.reauth.cancel();
    this.heartbeat.cancel();
    const attempt = this.current;
    if (!attempt) return;
    this.current = null;
    attempt.close();
  }
}
