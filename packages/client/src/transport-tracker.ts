import type { ManagerOptions } from 'socket.io-client';
import type { Clock, TimerHandle } from './clock.js';
import type { TransportName } from './connection-state.js';
import type { ClientSocket } from './socket-ack.js';

export interface TransportTrackerOptions {
  clock: Clock;
  /** How long a polling connection may take to upgrade before it counts as a fallback. */
  graceMs: number;
  transports?: ManagerOptions['transports'];
  upgrade?: boolean;
  /** A change after connecting: an upgrade, or the wait for one given up. */
  onChange: (transport: TransportName, fallback: boolean) => void;
  /**
   * The transport closed before the connection was up: before Engine.IO's open packet (socket.io-client reports
   * nothing then, and would wait for its connect timeout), or before Socket.IO's CONNECT was answered.
   */
  onClosedEarly: (description: string) => void;
}

/**
 * Tells a WebSocket connection from one stuck on HTTP long-polling (a proxy that blocks upgrades). Socket.IO connects
 * over polling first and upgrades moments later, so polling alone is not yet a fallback: only a failed upgrade, a
 * configuration without WebSocket, or a grace period without an upgrade make it one.
 *
 * Also tells when the transport closes before the connection is up. socket.io-client's Manager listens only for the
 * engine's `open` and `error` until Engine.IO's open packet arrives, so a WebSocket that a proxy, a load balancer
 * mid-deploy or a restarting node accepts and then closes (a clean close or a cut: no error either way) leaves the
 * attempt waiting for the whole connect timeout.
 */
export class TransportTracker {
  private upgradeFailed = false;
  private isConnected = false;
  private timer: TimerHandle | null = null;
  private readonly offs: (() => void)[] = [];

  constructor(
    private readonly socket: ClientSocket,
    private readonly opts: TransportTrackerOptions,
  ) {
    const engine = socket.io.engine;
    const onUpgrade = () => this.changed();
    const onUpgradeError = () => {
      this.upgradeFailed = true;
      this.changed();
    };
    // Only "transport close" is the other side's doing. A transport error has already been reported as connect_error
    // (the engine emits `error` before it closes), and "forced close" is this side's: the SDK closing an attempt, or
    // socket.io-client closing the engine when the server refuses the handshake, just before it reports the refusal
    // (connect_error with the server's code, which must keep its meaning).
    const onClose = (reason: string, details?: { description?: unknown } | Error) => {
      if (this.isConnected || reason !== 'transport close') return;
      const description = details && 'description' in details ? String(details.description) : reason;
      this.opts.onClosedEarly(description);
    };
    engine.on('upgrade', onUpgrade);
    engine.on('upgradeError', onUpgradeError);
    engine.on('close', onClose);
    this.offs.push(
      () => engine.off('upgrade', onUpgrade),
      () => engine.off('upgradeError', onUpgradeError),
      () => engine.off('close', onClose),
    );
  }

  /** The socket connected: the transport now, and whether it already counts as a fallback. */
  connected(): { transport: TransportName; fallback: boolean } {
    this.isConnected = true;
    const now = this.current();
    if (now.transport === 'polling' && !now.fallback && this.timer === null) {
      this.timer = this.opts.clock.setTimeout(() => {
        this.timer = null;
        this.upgradeFailed = true;
        this.changed();
      }, this.opts.graceMs);
    }
    return now;
  }

  dispose(): void {
    if (this.timer !== null) this.opts.clock.clearTimeout(this.timer);
    this.timer = null;
    for (const off of this.offs.splice(0)) off();
  }

  private changed(): void {
    if (!this.isConnected) return;
    const now = this.current();
    if (now.transport !== 'polling' && this.timer !== null) {
      this.opts.clock.clearTimeout(this.timer);
      this.timer = null;
    }
    this.opts.onChange(now.transport, now.fallback);
  }

  private current(): { transport: TransportName; fallback: boolean } {
    const transport = (this.socket.io.engine?.transport?.name ?? 'polling') as TransportName;
    if (transport !== 'polling') return { transport, fallback: false };
    return { transport, fallback: this.upgradeFailed || !this.mayUpgrade() };
  }

  private mayUpgrade(): boolean {
    if (this.opts.upgrade === false) return false;
    const transports = this.opts.transports ?? ['polling', 'websocket'];
    return transports.some((t) => (typeof t === 'string' ? t : (t as { name?: string }).name) !== 'polling');
  }
}
