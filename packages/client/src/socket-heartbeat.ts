import type { Clock, TimerHandle } from './clock.js';
import { type ClientSocket, emitWithAck } from './socket-ack.js';

/**
 * The SDK's liveness check on a socket: an acknowledged `heartbeat` every `intervalMs` (the connection policy's). Any
 * answer, even a coded refusal, proves the way there and back works; an unanswered one reports the socket as dead
 * (`onUnanswered`), so it is replaced rather than waited on until Socket.IO's ping timeout.
 */
export class SocketHeartbeat {
  private timer: TimerHandle | null = null;

  constructor(
    private readonly opts: {
      clock: Clock;
      intervalMs: number;
      ackTimeoutMs: number;
      /** Whether `socket` is still the connection's current one (an answer for an abandoned socket is ignored). */
      isCurrent: (socket: ClientSocket) => boolean;
      onUnanswered: () => void;
    },
  ) {}

  get intervalMs(): number {
    return this.opts.intervalMs;
  }

  /** A new interval; the next beat on `socket` (if any) is due one new interval from now. */
  setInterval(ms: number, socket: ClientSocket | null): void {
    if (ms === this.opts.intervalMs) return;
    this.opts.intervalMs = ms;
    if (socket) this.schedule(socket);
  }

  schedule(socket: ClientSocket): void {
    this.cancel();
    this.timer = this.opts.clock.setTimeout(() => {
      this.timer = null;
      void this.beat(socket);
    }, this.opts.intervalMs);
  }

  cancel(): void {
    if (this.timer !== null) this.opts.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Beats now; resolves whether the socket answered. */
  async beat(socket: ClientSocket): Promise<boolean> {
    this.cancel();
    const res = await emitWithAck(socket, 'heartbeat', {}, this.opts.ackTimeoutMs);
    if (!this.opts.isCurrent(socket)) return false;
    // A drop is the disconnect handler's; only a timeout says the socket is silent.
    if (res.ok || res.error.code !== 'TIMEOUT') {
      if (socket.connected) this.schedule(socket);
      return socket.connected;
    }
    this.opts.onUnanswered();
    return false;
  }
}
