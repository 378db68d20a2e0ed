import type { BookingEvent, EventEnvelope, FollowTarget } from '@slotcast/protocol';
import { type ConnectionState, ConnectionStateStore } from './connection-state.js';
import { type CursorStore, MemoryCursorStore } from './cursor-store.js';
import { Emitter, type Listener } from './emitter.js';
import { type EnvelopeHandler, type EventHandler, EventStream, type NotificationHandler } from './event-stream.js';
import { FollowRegistry, type FollowResult } from './follows.js';
import { RealtimeConnection } from './realtime-connection.js';
import type { RealtimeEvents } from './realtime-events.js';
import type { RealtimeClientOptions } from './realtime-options.js';
import { emitWithAck } from './socket-ack.js';
import { routeMessages } from './socket-messages.js';

/**
 * The live event feed: replay from a persistent cursor, then live; each event handed to subscribers once, in id
 * order; follows that survive reconnects; an observable connection state. Subscribe (onEvent) before start(): events
 * that arrive while nobody is subscribed are still counted as handled.
 */
export class RealtimeClient {
  private readonly store = new ConnectionStateStore();
  private readonly emitter: Emitter<RealtimeEvents>;
  private readonly stream: EventStream;
  private readonly follows: FollowRegistry;
  private readonly connection: RealtimeConnection;
  private readonly cursorStore: CursorStore;
  private cursorUser: string | null = null;

  constructor(opts: RealtimeClientOptions) {
    this.cursorStore = opts.cursorStore ?? new MemoryCursorStore();
    const reportError = (err: unknown) => this.reportError(err);
    this.emitter = new Emitter((err, event) => (event === 'error' ? console.error(err) : reportError(err)));
    this.stream = new EventStream({ onError: reportError });
    const ackTimeoutMs = opts.ackTimeoutMs ?? 5_000;
    this.follows = new FollowRegistry(
      async (event, target) => {
        const socket = this.connection.socket;
        if (!socket) return { ok: false, error: { code: 'DISCONNECTED', message: `${event}: not connected` } };
        const res = await emitWithAck(socket, event, target, ackTimeoutMs);
        return res.ok ? { ok: true, room: res.room } : res;
      },
      async (targets) => {
        const socket = this.connection.socket;
        if (!socket) return null;
        const res = await emitWithAck(socket, 'follow:many', { targets }, ackTimeoutMs);
        return res.ok ? res.results : res;
      },
      () => this.connection.socket !== null,
      (target, error) => this.emitter.emit('followRefused', { target, error }),
    );
    this.connection = new RealtimeConnection(opts, {
      store: this.store,
      prepare: (userId) => this.useCursorOf(userId),
      cursor: () => this.stream.position,
      attach: (socket, live) =>
        routeMessages(socket, live, this.stream, this.emitter, reportError, (error) =>
          this.connection.incompatible(error),
        ),
      // Rooms live in the server's memory per socket: every new connection follows everything again.
      connected: () => void this.follows.resendAll(),
      signedOut: (error) => {
        this.follows.rejectWaiting({ code: 'DISCONNECTED', message: 'signed out' });
        this.emitter.emit('signedOut', error);
      },
      reportError,
    });
  }

  /** The current connection state: a stable snapshot until it changes (fits useSyncExternalStore). */
  readonly getState = (): ConnectionState => this.store.get();
  /** Calls `listener` on every state change; returns the unsubscribe function. */
  readonly subscribeState = (listener: (state: ConnectionState) => void): (() => void) =>
    this.store.subscribe(listener);

  get state(): ConnectionState {
    return this.store.get();
  }

  /** The id of the last event handled (the replay cursor), or null before the first. */
  get cursor(): number | null {
    return this.stream.position;
  }

  /** Booking events, in id order, once each. A returned promise is awaited before the next event is handled. */
  onEvent(handler: EventHandler): () => void {
    return this.stream.subscribe(handler);
  }

  /** The signed-in user's private events: new notifications, and ones read in another tab or device. */
  /** Booking events a frame (a batch as received) at a time, after `onEvent` handlers; for stores that apply at once. */
  onEventFrame(handler: (events: BookingEvent[]) => void | Promise<void>): () => void {
    return this.stream.subscribeFrames(handler);
  }

  onNotificationEvent(handler: NotificationHandler): () => void {
    return this.stream.subscribeNotifications(handler);
  }

  /** Every envelope in id order, including event types this SDK does not know yet (before the typed handlers). */
  onEnvelope(handler: EnvelopeHandler): () => void {
    return this.stream.subscribeEnvelopes(handler);
  }

  /** Every envelope a frame at a time (a replayed or live batch as received), in id order, after `onEnvelope`. */
  onEnvelopeFrame(handler: (envelopes: EventEnvelope[]) => void | Promise<void>): () => void {
    return this.stream.subscribeEnvelopeFrames(handler);
  }

  on<K extends keyof RealtimeEvents>(event: K, listener: Listener<RealtimeEvents[K]>): () => void {
    return this.emitter.on(event, listener);
  }

  /** Connects, and keeps connecting until stop() or sign-out. */
  start(): void {
    this.connection.start();
  }

  /** Disconnects; resolves once the events received so far were handled. Follows are kept for the next start(). */
  async stop(): Promise<void> {
    this.connection.stop();
    this.follows.rejectWaiting({ code: 'DISCONNECTED', message: 'the realtime client stopped' });
    await this.stream.whenIdle();
  }

  /** The heartbeat interval from now on (ConnectionPolicy sets it from visibility, saveData and the battery). */
  setHeartbeat(ms: number): void {
    this.connection.setHeartbeat(ms);
  }

  /** The reconnect back-off for the coming attempts (ConnectionPolicy sets it by network). */
  setBackoff(backoff: { baseMs: number; capMs: number }): void {
    this.connection.setBackoff(backoff);
  }

  /** Checks the live socket with a heartbeat now; an unanswered one is replaced (cursor + replay). Resolves alive. */
  checkNow(): Promise<boolean> {
    return this.connection.checkNow();
  }

  /** Connects now instead of waiting for the scheduled retry; also resumes paused retries. */
  retryNow(): void {
    this.connection.retryNow();
  }

  /**
   * Joins a booking's or resource's room (resource rooms bring `scheduleChanged`). Kept, and sent again after every
   * reconnect, until unfollowed or refused; asked while disconnected, it is answered after the next connect.
   */
  follow(target: FollowTarget): Promise<FollowResult> {
    return this.follows.follow(target);
  }

  unfollow(target: FollowTarget): Promise<FollowResult> {
    return this.follows.unfollow(target);
  }

  /** The follows that are sent on every connect. */
  following(): FollowTarget[] {
    return this.follows.list();
  }

  /** Settles when every event received so far was handled. */
  whenIdle(): Promise<void> {
    return this.stream.whenIdle();
  }

  private async useCursorOf(userId: string): Promise<void> {
    if (this.cursorUser === userId) return;
    const stored = await this.cursorStore.get(userId);
    this.cursorUser = userId;
    this.stream.reset(stored, (id) => this.cursorStore.set(userId, id));
  }

  private reportError(err: unknown): void {
    if (this.emitter.listenerCount('error') > 0) this.emitter.emit('error', err);
    else console.error('slotcast realtime:', err);
  }
}

export type { RealtimeClientOptions, RealtimeEvents };
