import { performance } from 'node:perf_hooks';
import {
  type ClientToServerEvents,
  decodeEventFrame,
  type EventFrame,
  PROTOCOL_VERSION,
  type ServerToClientEvents,
} from '@slotcast/protocol';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { backoffDelay, DEFAULT_BACKOFF } from '../../packages/client/src/backoff.js';
import { DEFAULT_CONNECT_TIMEOUT_MS } from '../../packages/client/src/realtime-options.js';
import type { ClientLedger } from './delivery-ledger.js';
import type { WorkerCounters } from './worker-counters.js';

export interface UserSpec {
  index: number;
  userId: string;
  role: 'customer' | 'staff';
  vendorId: string | null;
  token: string;
}

export interface UserContext {
  url: string;
  /** Loopback source address of this user's connections (and HTTP requests). */
  localAddress: string;
  serverKind: 'slotcast' | 'bare';
  counters: WorkerCounters;
  /** Ids kept per user for the ledger; past it the user is left out of the check. */
  maxIds: number;
}

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const MAX_ATTEMPTS = 30;
const RECONNECT_WINDOW_MS = 120_000;

/**
 * One simulated user's socket, kept like the SDK keeps it (packages/client's RealtimeConnection, with its defaults):
 * a cursor (the last event id processed), events at or below it dropped as duplicates, its connect timeout (20 s), and
 * after a drop or a failed attempt a new attempt with `lastEventId: cursor` after the SDK's own full-jitter back-off
 * (base 500 ms, cap 30 s), never sooner than a refusal's `retryAfterMs`. It also keeps every id it received for the
 * delivery ledger, and times connects, replays and commit→receive of live events.
 */
export class VirtualUser {
  socket: ClientSocket | null = null;
  cursor: number | null = null;
  /** The cursor this user first went live with: the ledger's baseline. */
  from: number | null = null;
  ids: number[] = [];
  overflow = false;
  resynced = false;
  live = false;
  /** Whether the user wants to be connected: an unasked-for disconnect then reconnects. */
  private wanted = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private giveUpAt = 0;
  private waiters: ((live: boolean) => void)[] = [];

  constructor(
    readonly spec: UserSpec,
    readonly ctx: UserContext,
  ) {}

  /** Whether it has, or is getting, a socket. */
  get active(): boolean {
    return this.wanted;
  }

  /** Connects (and retries) until live, or until `deadline` (epoch ms); resolves whether it went live. */
  connect(deadline: number): Promise<boolean> {
    this.wanted = true;
    this.giveUpAt = deadline;
    this.attempt = 0;
    const p = new Promise<boolean>((resolve) => this.waiters.push(resolve));
    this.open();
    return p;
  }

  /**
   * Comes back after a drop the way the SDK does: the first attempt after a full-jitter back-off (a disconnect is a
   * failure to the SDK), so clients that lost the same server spread over its first back-off window. Resolves
   * whether it went live by `deadline`.
   */
  reconnect(deadline: number): Promise<boolean> {
    this.wanted = true;
    this.giveUpAt = deadline;
    this.attempt = 0;
    const p = new Promise<boolean>((resolve) => this.waiters.push(resolve));
    this.retry();
    return p;
  }

  /** Closes on purpose (no reconnect); the cursor and ledger stay. */
  close(): void {
    this.wanted = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const s = this.socket;
    this.socket = null;
    if (s) {
      if (s.connected) this.ctx.counters.open--;
      if (this.live) this.ctx.counters.live--;
      s.removeAllListeners();
      s.disconnect();
    }
    this.live = false;
    this.settle(false);
  }

  ledger(): ClientLedger {
    return {
      userId: this.spec.userId,
      role: this.spec.role,
      vendorId: this.spec.vendorId,
      from: this.from,
      ids: Float64Array.from(this.ids),
      resynced: this.resynced,
      overflow: this.overflow,
    };
  }

  private settle(live: boolean) {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w(live);
  }

  private open(): void {
    const c = this.ctx.counters;
    const started = performance.now();
    const auth =
      this.ctx.serverKind === 'bare'
        ? { token: this.spec.token, userId: this.spec.userId, vendorId: this.spec.vendorId }
        : {
            token: this.spec.token,
            protocolVersion: PROTOCOL_VERSION,
            ...(this.cursor !== null ? { lastEventId: this.cursor } : {}),
          };
    // engine.io-client hands localAddress to ws, which binds the connection to that loopback address.
    const options: Partial<ManagerOptions & SocketOptions> & { localAddress: string } = {
      auth,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: DEFAULT_CONNECT_TIMEOUT_MS,
      localAddress: this.ctx.localAddress,
    };
    const socket: ClientSocket = io(this.ctx.url, options);
    this.socket = socket;

    socket.on('connect', () => {
      c.counts.connects++;
      c.open++;
      c.hist.connect.recordMs(performance.now() - started);
      // A bare server sends no replay:done: it is live once connected.
      if (this.ctx.serverKind === 'bare') this.goLive(started);
    });
    socket.on('connect_error', (err: Error & { data?: { code?: string; retryAfterMs?: number } }) => {
      c.counts.connectFailures++;
      c.error(`connect:${err.data?.code ?? err.message}${transportCause(err)}`);
      socket.removeAllListeners();
      socket.disconnect();
      if (this.socket === socket) this.socket = null;
      if (err.data?.code === 'AUTH_TOKEN_INVALID') {
        this.wanted = false;
        this.settle(false);
        return;
      }
      this.retry(err.data?.retryAfterMs);
    });
    socket.on('events', (frame) => this.onEvents(frame));
    socket.on('replay:done', (info) => {
      if (this.from === null) this.from = info.lastEventId;
      if (this.cursor === null || info.lastEventId > this.cursor) this.cursor = info.lastEventId;
      this.goLive(started);
    });
    socket.on('resync:required', (info) => {
      c.counts.resyncs++;
      this.resynced = true;
      this.cursor = info.latestEventId;
    });
    socket.on('closing', (info) => c.error(`closing:${info.code}`));
    socket.on('disconnect', (reason) => {
      c.open--;
      if (this.live) c.live--;
      this.live = false;
      c.counts.drops++;
      c.error(`disconnect:${reason}`);
      socket.removeAllListeners();
      if (this.socket === socket) this.socket = null;
      // A drop after going live gets a fresh window to come back in, as the SDK would keep trying.
      this.giveUpAt = Date.now() + RECONNECT_WINDOW_MS;
      this.retry();
    });
  }

  private goLive(started: number) {
    const c = this.ctx.counters;
    this.live = true;
    this.attempt = 0;
    c.live++;
    c.hist.live.recordMs(performance.now() - started);
    c.lastLiveAt = Date.now();
    this.settle(true);
  }

  private onEvents(frame: EventFrame) {
    const c = this.ctx.counters;
    const now = Date.now();
    c.counts.frames++;
    // Decoded as the SDK does (both forms: the bare server sends arrays of envelopes).
    const batch = decodeEventFrame(frame);
    if (batch === null) {
      c.error('events:malformed');
      return;
    }
    for (const e of batch) {
      if (this.ids.length < this.ctx.maxIds) this.ids.push(e.id);
      else this.overflow = true;
      if (this.cursor !== null && e.id <= this.cursor) {
        c.counts.duplicates++;
        continue;
      }
      this.cursor = e.id;
      if (this.live) {
        c.counts.delivered++;
        c.hist.latency.recordMs(now - Date.parse(e.occurredAt));
      } else c.counts.replayed++;
    }
  }

  private retry(retryAfterMs?: number) {
    if (!this.wanted) return;
    this.attempt++;
    // As RealtimeConnection.scheduleRetry: the back-off, but never sooner than the server asked.
    const wait = Math.max(retryAfterMs ?? 0, backoffDelay(this.attempt, DEFAULT_BACKOFF));
    if (this.attempt > MAX_ATTEMPTS || Date.now() + wait > this.giveUpAt) {
      this.wanted = false;
      this.ctx.counters.error('gave-up');
      this.settle(false);
      return;
    }
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.wanted) this.open();
    }, wait);
  }
}

/** What the transport under a "websocket error" said (ws's message: "connect ECONNRESET …", "Unexpected server response: 503"). */
function transportCause(err: Error & { description?: unknown }): string {
  const d = err.description as { message?: unknown; error?: { code?: unknown } } | undefined;
  const code = d?.error?.code;
  if (typeof code === 'string') return ` (${code})`;
  if (typeof d?.message === 'string' && d.message !== '')
    return ` (${d.message.replace(/\d+\.\d+\.\d+\.\d+:\d+/g, '…')})`;
  return '';
}
