/**
 * `incompatible`: the server refused this client's protocol version (PROTOCOL_CLIENT_TOO_OLD, or
 * PROTOCOL_SERVER_TOO_OLD); the client has stopped, as retrying cannot help until one side is updated.
 */
export type ConnectionStatus =
  | 'connecting'
  | 'connected'
  | 'reconnecting'
  | 'offline'
  | 'polling-fallback'
  | 'incompatible';
export type TransportName = 'websocket' | 'polling' | 'webtransport';

export interface ConnectionError {
  /** A protocol ErrorCode (AUTH_TOKEN_EXPIRED, RATE_LIMITED, ...) or a transport condition (NETWORK, SERVER_DRAINING). */
  code: string;
  message: string;
}

export interface ConnectionState {
  readonly status: ConnectionStatus;
  /** Consecutive failed attempts since the last successful connection. */
  readonly attempt: number;
  /** When the next attempt starts (epoch ms), while one is scheduled. */
  readonly nextRetryAt: number | null;
  readonly transport: TransportName | null;
  readonly lastError: ConnectionError | null;
}

export const INITIAL_CONNECTION_STATE: ConnectionState = Object.freeze({
  status: 'offline',
  attempt: 0,
  nextRetryAt: null,
  transport: null,
  lastError: null,
});

/**
 * The observable connection state. Snapshots are immutable and replaced only on a change, so `get` and `subscribe`
 * plug straight into React's useSyncExternalStore.
 */
export class ConnectionStateStore {
  private state: ConnectionState = INITIAL_CONNECTION_STATE;
  private readonly listeners = new Set<(state: ConnectionState) => void>();

  get = (): ConnectionState => this.state;

  subscribe = (listener: (state: ConnectionState) => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  update(patch: Partial<ConnectionState>): void {
    let changed = false;
    for (const key of Object.keys(patch) as (keyof ConnectionState)[]) {
      if (!sameValue(this.state[key], patch[key])) changed = true;
    }
    if (!changed) return;
    this.state = Object.freeze({ ...this.state, ...patch });
    for (const listener of [...this.listeners]) {
      try {
        listener(this.state);
      } catch (err) {
        console.error('slotcast: a connection state listener failed', err);
      }
    }
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const x = a as ConnectionError;
    const y = b as ConnectionError;
    return x.code === y.code && x.message === y.message;
  }
  return false;
}
