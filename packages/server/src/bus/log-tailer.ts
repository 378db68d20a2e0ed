import type { Db } from '../store/db.js';
import type { StoredEvent } from '../store/event-log.js';
import { EVENTS_CHANNEL, latestEventId, markPublished, readAfter } from '../store/event-log.js';
import type { EventBus } from './event-bus.js';
import { WakeLoop } from './wake-loop.js';

const MARK_EVERY_ROWS = 5000;
/** Offers kept waiting for the rows before them; past this the read delivers the rest (a bound, never reached in use). */
const MAX_WAITING_OFFERS = 1000;

export interface LogTailerOptions {
  /** Safety net when a NOTIFY is lost (listener reconnecting, database restart). */
  pollMs?: number;
  /** Rows per read when the tailer is keeping up (default 500). */
  batchSize?: number;
  /**
   * Rows per read while it drains a backlog (default 4 × `batchSize`): each full read doubles the next one up to this,
   * as long as handing a batch out took under `maxBatchHoldMs`; a partial read (caught up) goes back to `batchSize`.
   */
  maxBatchSize?: number;
  /** A batch's fan-out that held the event loop longer than this halves the next read (default 200 ms). */
  maxBatchHoldMs?: number;
  /** Mark delivered rows as published (the embedded single-node setup has no separate relay). */
  markPublished?: boolean;
  /**
   * Opens the connection the tailer reads through, its own, so a read never waits behind writers for the shared
   * pool (closed on stop). Without it the tailer reads through the shared database.
   */
  openReader?: () => Promise<Db>;
  onError?: (err: unknown) => void;
}

/**
 * The in-process bus: follows the event log from the id it starts at and hands each batch, in id order, to the
 * subscribers. Ids are assigned in commit order (see event-log.ts), so reading `id > cursor` never skips an event.
 * It wakes on a direct poke after a local commit, on NOTIFY from other writers, and on a poll timer, and reads in
 * batches of up to `batchSize` rows. Rows committed on this node can be handed over at once (`offer`); the log stays
 * the source of truth for order and gaps, so only rows that follow the cursor without a gap are taken that way.
 */
export class LogTailer implements EventBus {
  private cursor = 0;
  private published = 0;
  private reader: Db;
  private ownReader: Db | null = null;
  private handlers = new Set<(batch: StoredEvent[]) => void>();
  /** Offered rows that came before the rows preceding them, by their first id (see `offer`). */
  private readonly waiting = new Map<number, StoredEvent[]>();
  private readonly loop = new WakeLoop(
    () => this.drain(),
    (err) => this.opts.onError?.(err),
  );
  private timer: NodeJS.Timeout | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  private stopped = true;

  constructor(
    private readonly db: Db,
    private readonly opts: LogTailerOptions = {},
  ) {
    this.reader = db;
  }

  get lastDeliveredId(): number {
    return this.cursor;
  }

  subscribe(handler: (batch: StoredEvent[]) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async start(): Promise<void> {
    this.stopped = false;
    if (this.opts.openReader) {
      this.ownReader = await this.opts.openReader();
      this.reader = this.ownReader;
    }
    this.cursor = await latestEventId(this.reader);
    this.published = this.cursor;
    // The payload is the highest id of the commit that notified. A commit of this node was handed over by `offer`
    // already, its NOTIFY needs no read (the rows' published marks wait for the next pass, at the latest the poll's).
    this.unlisten = await this.db.listen(EVENTS_CHANNEL, (payload) => {
      const id = Number(payload);
      if (!(id > 0) || id > this.cursor) this.poke();
    });
    this.timer = setInterval(() => this.poke(), this.opts.pollMs ?? 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.unlisten?.();
    // Let a read in flight finish, so nothing is delivered after stop() resolves.
    await this.loop.idle();
    this.reader = this.db;
    await this.ownReader?.close();
    this.ownReader = null;
  }

  /**
   * Events this node just committed (after commit, in id order). If they follow the cursor with no gap, nothing can be
   * missing before them, so they go to subscribers now instead of after a read. Commits of this node often come back
   * out of order (two transactions commit back to back; the later one's reply is read first): such rows wait here
   * until the rows before them are offered or read, and go out with them, in id order — rather than after a read of
   * the log. The log stays the source of truth: a gap nobody offers (another node's commit, a rolled-back append) is
   * filled by the read, which delivers from the cursor on and drops what waits here.
   */
  offer(events: readonly StoredEvent[]): void {
    if (this.stopped || events.length === 0) return;
    const first = events[0]!.envelope.id;
    const last = events.at(-1)!.envelope.id;
    // One transaction's rows are consecutive (the append lock is held until its commit); anything else is left to
    // the read.
    if (last <= this.cursor || last - first !== events.length - 1) {
      if (last > this.cursor) this.poke();
      return;
    }
    if (first !== this.cursor + 1) {
      if (this.waiting.size < MAX_WAITING_OFFERS) this.waiting.set(first, [...events]);
      // A read, in case the gap is not this node's to fill.
      this.poke();
      return;
    }
    this.cursor = last;
    this.deliver(this.withWaiting([...events]));
    // No read now: nothing is missing before them. A pass per local commit (a read finding nothing and an UPDATE of
    // published marks, two round trips) was most of what the reader's connection did; the next pass, at the latest
    // the poll's, marks them published.
  }

  /** `batch` (which ends at the cursor) and the offered rows that now follow it without a gap; the cursor moves on. */
  private withWaiting(batch: StoredEvent[]): StoredEvent[] {
    if (this.waiting.size === 0) return batch;
    for (let next = this.waiting.get(this.cursor + 1); next; next = this.waiting.get(this.cursor + 1)) {
      this.waiting.delete(this.cursor + 1);
      batch.push(...next);
      this.cursor = next.at(-1)!.envelope.id;
    }
    // What is left is after a gap, or already delivered by a read.
    for (const [first, rows] of this.waiting) if (rows.at(-1)!.envelope.id <= this.cursor) this.waiting.delete(first);
    return batch;
  }

  /** Ask for a read soon; many pokes while a read runs collapse into one more read. */
  poke(): void {
    if (!this.stopped) this.loop.poke();
  }

  private async drain(): Promise<void> {
    const base = this.opts.batchSize ?? 500;
    const max = Math.max(base, this.opts.maxBatchSize ?? 4 * base);
    const maxHoldMs = this.opts.maxBatchHoldMs ?? 200;
    /** Rows asked of the read in flight; `size` is what the next read asks. */
    let asked = base;
    let size = base;
    let reading = readAfter(this.reader, this.cursor, asked);
    let unmarked = 0;
    for (;;) {
      const rows = await reading;
      if (this.stopped) return;
      const more = rows.length === asked;
      // Ask for the next batch before handing this one out, so the read's round trip overlaps the subscribers' work
      // (a backlog drains at the speed of the fan-out, not of fan-out plus a round trip per batch). It starts after
      // the last row read, as the next pass would: ids are in commit order, so this skips nothing. Behind a backlog
      // the reads grow: a socket then gets one frame for more events (each frame is a write and a message to decode
      // per socket, and a vendor's staff share most events), so the backlog drains with less work per event.
      if (more) {
        size = Math.min(max, size * 2);
        asked = size;
        reading = readAfter(this.reader, rows.at(-1)!.envelope.id, asked);
        // Awaited on the next turn; this only keeps a failure from going unhandled if that turn never comes.
        reading.catch(() => {});
      }
      // Rows handed over by `offer` while the read was in flight are already delivered.
      const batch = rows.filter((e) => e.envelope.id > this.cursor);
      if (batch.length > 0) {
        this.cursor = batch.at(-1)!.envelope.id;
        const started = performance.now();
        this.deliver(this.withWaiting(batch));
        // The loop was held that long: the read after the one in flight is smaller again.
        if (performance.now() - started > maxHoldMs) size = Math.max(base, Math.floor(size / 4));
        unmarked += batch.length;
      }
      // Published marks once per pass (and every few thousand rows of a long one), not once per batch: each is an
      // UPDATE on the reader's connection that the next read would wait behind.
      if (!more || unmarked >= MARK_EVERY_ROWS) {
        await this.markDelivered();
        unmarked = 0;
      }
      if (!more) return;
    }
  }

  private async markDelivered(): Promise<void> {
    if (!this.opts.markPublished || this.cursor <= this.published) return;
    const through = this.cursor;
    await markPublished(this.reader, through);
    this.published = Math.max(this.published, through);
  }

  private deliver(batch: StoredEvent[]): void {
    for (const h of this.handlers) {
      try {
        h(batch);
      } catch (err) {
        this.opts.onError?.(err);
      }
    }
  }
}
