import {
  BookingEvent,
  type EventEnvelope,
  isBookingEvent,
  isNotificationEvent,
  NotificationEvent,
} from '@slotcast/protocol';
import type { z } from 'zod';
import { SlotcastProtocolError } from './errors.js';
import type { MaybePromise } from './web-storage.js';

export type Handler<T> = (event: T) => void | Promise<void>;
export type EventHandler = Handler<BookingEvent>;
export type NotificationHandler = Handler<NotificationEvent>;
/** Every envelope, including types this SDK does not know yet; validated for its id only. */
export type EnvelopeHandler = Handler<EventEnvelope>;

/** Subscribers to the event types one schema describes. */
interface Channel<T> {
  matches: (e: EventEnvelope) => boolean;
  schema: z.ZodType<T>;
  handlers: Set<Handler<T>>;
  /** Called once per frame with its events of this channel, after the per-event handlers. */
  frameHandlers: Set<Handler<T[]>>;
}

export interface EventStreamOptions {
  /** Stores the cursor after a batch was handled. */
  persist?: (eventId: number) => MaybePromise<void>;
  /** Handler failures and malformed events; neither stops the stream. */
  onError?: (err: unknown) => void;
}

/**
 * Hands events to subscribers in id order, each exactly once, and moves the cursor past an event only after every
 * subscriber has handled it (awaiting handlers that return promises). Work runs one item at a time, so a replayed
 * batch, a live batch and a resync are never interleaved.
 */
export class EventStream {
  private cursor: number | null = null;
  private readonly bookings: Channel<BookingEvent> = {
    matches: isBookingEvent,
    schema: BookingEvent,
    handlers: new Set(),
    frameHandlers: new Set(),
  };
  private readonly notifications: Channel<NotificationEvent> = {
    matches: isNotificationEvent,
    schema: NotificationEvent,
    handlers: new Set(),
    frameHandlers: new Set(),
  };
  private readonly envelopes = new Set<EnvelopeHandler>();
  private readonly envelopeFrames = new Set<Handler<EventEnvelope[]>>();
  private readonly queue: { run: () => Promise<void>; generation: number; batch?: unknown[] }[] = [];
  private pumping: Promise<void> | null = null;
  // Work queued before a reset (another user signed in) is dropped rather than applied to the new user's cursor.
  private generation = 0;
  private persist: EventStreamOptions['persist'];
  private readonly onError: (err: unknown) => void;

  constructor(opts: EventStreamOptions = {}) {
    this.persist = opts.persist;
    this.onError = opts.onError ?? ((err) => console.error('slotcast: event handling failed', err));
  }

  /** The id of the last event handled; null before the first one (the server then sends live events only). */
  get position(): number | null {
    return this.cursor;
  }

  /** Starts over from `cursor` (a stored value, or null), persisting through `persist` from now on. */
  reset(cursor: number | null, persist?: EventStreamOptions['persist']): void {
    this.generation++;
    this.queue.length = 0;
    this.cursor = cursor;
    if (persist) this.persist = persist;
  }

  /** Booking events. */
  subscribe(handler: EventHandler): () => void {
    return add(this.bookings.handlers, handler);
  }

  /**
   * Booking events a frame at a time (a replayed or live batch as received, duplicates dropped), so a consumer that
   * keeps state applies them with one update instead of one per event.
   */
  subscribeFrames(handler: Handler<BookingEvent[]>): () => void {
    return add(this.bookings.frameHandlers, handler);
  }

  subscribeNotifications(handler: NotificationHandler): () => void {
    return add(this.notifications.handlers, handler);
  }

  subscribeEnvelopes(handler: EnvelopeHandler): () => void {
    return add(this.envelopes, handler);
  }

  /**
   * Every envelope past the cursor, a frame (a batch as received) at a time, before the typed frame handlers: a store
   * that writes events with their cursor does it in one transaction per frame instead of one per event.
   */
  subscribeEnvelopeFrames(handler: Handler<EventEnvelope[]>): () => void {
    return add(this.envelopeFrames, handler);
  }

  /**
   * Queues a batch as received on the wire. Batches that arrive while earlier work is being handled join the batch
   * waiting behind it: handled as one frame, so a burst of live events (a flushed outbox's echoes) costs one write
   * and one render, not one per event. Other work queued in between (replay:done, resync) keeps them apart.
   */
  push(batch: readonly unknown[]): void {
    const last = this.queue.at(-1);
    if (last?.batch && last.generation === this.generation) {
      last.batch.push(...batch);
      return;
    }
    const item = { generation: this.generation, batch: [...batch], run: () => this.deliver(item.batch) };
    this.queue.push(item);
    this.pumping ??= this.pump();
  }

  /** Queues other work (replay:done, resync) so it runs after the events received before it. */
  enqueue(task: () => void | Promise<void>): void {
    this.queue.push({ generation: this.generation, run: async () => task() });
    this.pumping ??= this.pump();
  }

  /** Moves the cursor forward (never back) and persists it; for replay:done and resync. */
  async advanceTo(eventId: number): Promise<void> {
    if (this.cursor !== null && eventId <= this.cursor) return;
    this.cursor = eventId;
    await this.save();
  }

  /** Sets the cursor, back or forward, and persists it; for resync, where the server names the new start. */
  async setCursor(eventId: number): Promise<void> {
    this.cursor = eventId;
    await this.save();
  }

  /** Settles when everything queued so far was handled. */
  async whenIdle(): Promise<void> {
    while (this.pumping) await this.pumping;
  }

  private async pump(): Promise<void> {
    try {
      for (let task = this.queue.shift(); task; task = this.queue.shift()) {
        try {
          if (task.generation === this.generation) await task.run();
        } catch (err) {
          this.onError(err);
        }
      }
    } finally {
      this.pumping = null;
    }
  }

  private async deliver(batch: readonly unknown[]): Promise<void> {
    const generation = this.generation;
    const before = this.cursor;
    const frame: BookingEvent[] = [];
    const envelopes: EventEnvelope[] = [];
    for (const raw of inIdOrder(batch)) {
      if (generation !== this.generation) return;
      const id = idOf(raw);
      if (id === null) {
        this.onError(new SlotcastProtocolError('An event without a valid id was dropped'));
        continue;
      }
      // Replay and live may overlap by a few events; anything at or below the cursor was already handled.
      if (this.cursor !== null && id <= this.cursor) continue;
      const envelope = raw as EventEnvelope;
      if (this.envelopes.size > 0) await this.run(this.envelopes, envelope);
      envelopes.push(envelope);
      // Unknown types (a newer server) reach no typed channel, but still count as handled: the cursor moves past them.
      const booking = await this.dispatch(this.bookings, envelope);
      if (booking) frame.push(booking);
      await this.dispatch(this.notifications, envelope);
      this.cursor = id;
    }
    // Before the cursor is persisted: a frame counts as handled once its frame handlers ran too.
    if (envelopes.length > 0 && this.envelopeFrames.size > 0 && generation === this.generation) {
      await this.run(this.envelopeFrames, envelopes);
    }
    if (frame.length > 0 && generation === this.generation) await this.run(this.bookings.frameHandlers, frame);
    if (this.cursor !== before) await this.save();
  }

  /** Hands the event to the channel's handlers; returns it parsed when the channel has frame handlers to collect for. */
  private async dispatch<T>(channel: Channel<T>, envelope: EventEnvelope): Promise<T | null> {
    if ((channel.handlers.size === 0 && channel.frameHandlers.size === 0) || !channel.matches(envelope)) return null;
    const parsed = channel.schema.safeParse(envelope);
    if (!parsed.success) {
      this.onError(new SlotcastProtocolError(`Event ${envelope.id} (${envelope.type}) does not match the protocol`));
      return null;
    }
    if (channel.handlers.size > 0) await this.run(channel.handlers, parsed.data);
    return channel.frameHandlers.size > 0 ? parsed.data : null;
  }

  private async run<T>(handlers: Set<Handler<T>>, event: T): Promise<void> {
    for (const handler of [...handlers]) {
      try {
        const out = handler(event);
        if (out) await out;
      } catch (err) {
        // One failing subscriber must not hold back the others or stall the stream.
        this.onError(err);
      }
    }
  }

  private async save(): Promise<void> {
    if (this.cursor === null || !this.persist) return;
    try {
      await this.persist(this.cursor);
    } catch (err) {
      this.onError(err);
    }
  }
}

function add<T>(set: Set<T>, item: T): () => void {
  set.add(item);
  return () => {
    set.delete(item);
  };
}

function idOf(raw: unknown): number | null {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** The server sends batches in id order; sort only a batch that is not. */
function inIdOrder(batch: readonly unknown[]): readonly unknown[] {
  for (let i = 1; i < batch.length; i++) {
    if ((idOf(batch[i]) ?? 0) < (idOf(batch[i - 1]) ?? 0)) {
      return [...batch].sort((a, b) => (idOf(a) ?? 0) - (idOf(b) ?? 0));
    }
  }
  return batch;
}
