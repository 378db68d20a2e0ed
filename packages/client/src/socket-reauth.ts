import type { Clock, TimerHandle } from './clock.js';
import { type ClientSocket, emitWithAck } from './socket-ack.js';
import type { TokenManager } from './token-manager.js';

export interface SocketReauthOptions {
  tokens: TokenManager;
  clock: Clock;
  /** Answer this long before expiry, at most half the remaining life ahead. */
  leadMs: number;
  ackTimeoutMs: number;
  /** The token the socket holds now. */
  currentToken: () => string | null;
  /** Whether `socket` is still the connection's current one (an answer for an abandoned socket is ignored). */
  isCurrent: (socket: ClientSocket) => boolean;
  /** The server took `token`. */
  accepted: (token: string) => void;
  /** The server refused the token or did not answer: reconnect (the handshake carries the fresh token). */
  failed: () => void;
  reportError: (err: unknown) => void;
}

const MIN_INTERVAL_MS = 1_000;

/**
 * Answers auth:expiring with auth:refresh and a fresh token, shortly before expiry and at most once a second: a
 * server that warns earlier than its tokens live would otherwise get a refresh loop.
 */
export class SocketReauth {
  private timer: TimerHandle | null = null;
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly opts: SocketReauthOptions) {}

  expiring(socket: ClientSocket, expiresAt: number): void {
    const now = this.opts.clock.now();
    // The server's expiry, by the server's clock (this device's may be off: TokenManager.serverNow).
    const remaining = Number.isNaN(expiresAt) ? 0 : expiresAt - this.opts.tokens.serverNow();
    const lead = Math.min(this.opts.leadMs, remaining / 2);
    const delay = Math.max(0, remaining - lead, this.lastAt + MIN_INTERVAL_MS - now);
    this.cancel();
    this.timer = this.opts.clock.setTimeout(() => {
      this.timer = null;
      void this.run(socket);
    }, delay);
  }

  cancel(): void {
    if (this.timer !== null) this.opts.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private async run(socket: ClientSocket): Promise<void> {
    const { tokens } = this.opts;
    this.lastAt = this.opts.clock.now();
    let token: string;
    try {
      const session = tokens.session;
      // The socket's token is the one expiring; a newer pair (refreshed for a REST call) can be used as it is.
      token =
        session && session.accessToken !== this.opts.currentToken() && tokens.isFresh(session)
          ? session.accessToken
          : await tokens.refresh();
    } catch (err) {
      // Offline or signed out: the server closes the socket at expiry, and the reconnect sorts it out.
      this.opts.reportError(err);
      return;
    }
    if (!socket.connected) return;
    const res = await emitWithAck(socket, 'auth:refresh', { token }, this.opts.ackTimeoutMs);
    if (!this.opts.isCurrent(socket)) return;
    if (res.ok) this.opts.accepted(token);
    else this.opts.failed();
  }
}
