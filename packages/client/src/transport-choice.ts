import type { ManagerOptions } from 'socket.io-client';
import type { TransportName } from './connection-state.js';

/** socket.io-client's own default when `transports` is not set. */
const SOCKET_IO_DEFAULT: TransportName[] = ['polling', 'websocket', 'webtransport'];

/**
 * Which transports the next attempt uses. Configured polling-first (socket.io-client's default: long-polling, then the
 * upgrade), an attempt right after a WebSocket connection was lost opens a WebSocket directly: a node's clients
 * coming back then cost it one WebSocket handshake each, not a polling handshake, a poll and an upgrade. Any attempt
 * that fails at the transport (an error, a timeout, a close before the connection opened), and any upgrade that
 * fails, go back to polling-first, so a network that drops WebSockets still gets in over polling. A coded refusal
 * from the server (AUTH_TOKEN_EXPIRED, RATE_LIMITED, ...) came over the transport, so it keeps the choice.
 *
 * Unlike Socket.IO's `rememberUpgrade` (remembered per page, reset only by a transport error), a WebSocket that is
 * closed before it opens resets it too: that close raises no error in socket.io-client.
 */
export class TransportChoice {
  private websocketWorked = false;
  private readonly direct: TransportName[] | null;

  constructor(configured: { transports?: ManagerOptions['transports']; upgrade?: boolean } = {}) {
    const transports: unknown[] = configured.transports ?? SOCKET_IO_DEFAULT;
    // Transport classes instead of names: a custom setup, left as configured.
    const names = transports.every((t) => typeof t === 'string') ? (transports as TransportName[]) : [];
    const pollingFirst = names[0] === 'polling' && names.includes('websocket') && configured.upgrade !== false;
    // What the configuration allows without polling, in its order (the WebTransport upgrade stays possible).
    this.direct = pollingFirst ? names.filter((t) => t !== 'polling') : null;
  }

  /** The transports for the next attempt, or undefined for the configured ones. */
  next(): TransportName[] | undefined {
    return this.websocketWorked && this.direct ? [...this.direct] : undefined;
  }

  /** The connection's transport, now or after a change: a WebSocket works; a fallback to polling says it does not. */
  seen(transport: TransportName, fallback: boolean): void {
    if (transport === 'websocket') this.websocketWorked = true;
    else if (fallback) this.websocketWorked = false;
  }

  /** An attempt failed at the transport, or its upgrade did: the next attempt starts with polling. */
  failed(): void {
    this.websocketWorked = false;
  }
}
