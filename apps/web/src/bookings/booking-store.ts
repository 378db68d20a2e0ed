import type { Booking } from '@slotcast/protocol';

export type Freshness = 'new' | 'changed';

export interface BookingSnapshot {
  readonly byId: ReadonlyMap<string, Booking>;
  /** Bookings that arrived or changed live a moment ago, for a brief highlight. */
  readonly fresh: ReadonlyMap<string, Freshness>;
}

export interface BookingStoreOptions {
  /** How long a live change stays highlighted (default 4 s). */
  freshMs?: number;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
  now?: () => number;
}

/**
 * Every booking the user has seen, by id: REST snapshots merged in, live events applied. A booking's `version` only
 * grows, so whichever copy is newer wins, whatever order a snapshot and a live event arrive in. Snapshots are
 * immutable and replaced on change (useSyncExternalStore); unchanged bookings keep their identity, so memoised rows
 * of a 1,000-booking schedule skip re-rendering.
 */
export class BookingStore {
  private snapshot: BookingSnapshot = { byId: new Map(), fresh: new Map() };
  private readonly listeners = new Set<() => void>();
  /** When each highlight ends; one timer clears every highlight that is due, in one publish. */
  private readonly freshUntil = new Map<string, number>();
  private timer: unknown = null;
  private timerAt = Number.POSITIVE_INFINITY;
  private readonly now: () => number;
  private readonly freshMs: number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(opts: BookingStoreOptions = {}) {
    this.freshMs = opts.freshMs ?? 4_000;
    this.setTimer = opts.setTimeout ?? ((fn, ms) => globalThis.setTimeout(fn, ms));
    this.clearTimer = opts.clearTimeout ?? ((h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>));
    this.now = opts.now ?? Date.now;
  }

  readonly getSnapshot = (): BookingSnapshot => this.snapshot;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  get(id: string): Booking | undefined {
    return this.snapshot.byId.get(id);
  }

  /** A page read over REST: kept where newer than what is known, never highlighted. */
  merge(bookings: readonly Booking[]): void {
    let next: Map<string, Booking> | null = null;
    for (const b of bookings) {
      const known = (next ?? this.snapshot.byId).get(b.id);
      if (known && known.version >= b.version) continue;
      next ??= new Map(this.snapshot.byId);
      next.set(b.id, b);
    }
    if (next) this.publish({ byId: next, fresh: this.snapshot.fresh });
  }

  /**
   * Bookings the server no longer shows this user (a snapshot's window without them): dropped, unless a newer version
   * arrived meanwhile.
   */
  remove(gone: readonly Booking[]): void {
    let byId: Map<string, Booking> | null = null;
    for (const b of gone) {
      const known = (byId ?? this.snapshot.byId).get(b.id);
      if (!known || known.version > b.version) continue;
      byId ??= new Map(this.snapshot.byId);
      byId.delete(b.id);
    }
    if (byId) this.publish({ byId, fresh: this.snapshot.fresh });
  }

  /** A booking from a live event (or an action's answer); returns what it was to this store. */
  apply(booking: Booking, opts: { highlight?: boolean } = {}): Freshness | 'stale' {
    return this.applyAll([booking], opts)[0]!;
  }

  /**
   * The bookings of one frame of live events, in order: one copy of the maps and one publish for the whole frame,
   * however many events it holds. Returns what each was to this store when it was applied.
   */
  applyAll(bookings: readonly Booking[], opts: { highlight?: boolean } = {}): (Freshness | 'stale')[] {
    let byId: Map<string, Booking> | null = null;
    let fresh: Map<string, Freshness> | null = null;
    const kinds = bookings.map((booking): Freshness | 'stale' => {
      const known = (byId ?? this.snapshot.byId).get(booking.id);
      if (known && known.version >= booking.version) return 'stale';
      byId ??= new Map(this.snapshot.byId);
      byId.set(booking.id, booking);
      const kind: Freshness = known ? 'changed' : 'new';
      if (opts.highlight !== false) {
        fresh ??= new Map(this.snapshot.fresh);
        // A booking that arrived a moment ago and changes again is still "new" to whoever has not looked yet.
        fresh.set(booking.id, fresh.get(booking.id) === 'new' ? 'new' : kind);
        this.expireFresh(booking.id);
      }
      return kind;
    });
    if (byId) this.publish({ byId, fresh: fresh ?? this.snapshot.fresh });
    return kinds;
  }

  clear(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    this.timerAt = Number.POSITIVE_INFINITY;
    this.freshUntil.clear();
    this.publish({ byId: new Map(), fresh: new Map() });
  }

  private expireFresh(id: string): void {
    const at = this.now() + this.freshMs;
    this.freshUntil.set(id, at);
    if (this.timer === null || at < this.timerAt) this.arm(at);
  }

  private arm(at: number): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timerAt = at;
    this.timer = this.setTimer(() => this.sweep(), Math.max(0, at - this.now()));
  }

  private sweep(): void {
    this.timer = null;
    this.timerAt = Number.POSITIVE_INFINITY;
    const now = this.now();
    let fresh: Map<string, Freshness> | null = null;
    let next = Number.POSITIVE_INFINITY;
    for (const [id, until] of this.freshUntil) {
      if (until <= now) {
        this.freshUntil.delete(id);
        (fresh ??= new Map(this.snapshot.fresh)).delete(id);
      } else {
        next = Math.min(next, until);
      }
    }
    if (fresh) this.publish({ byId: this.snapshot.byId, fresh });
    if (next !== Number.POSITIVE_INFINITY) this.arm(next);
  }

  private publish(next: BookingSnapshot): void {
    this.snapshot = next;
    for (const l of [...this.listeners]) l();
  }
}

/** Bookings sorted by start, then id (the server's list order). */
export function byStart(a: Booking, b: Booking): number {
  return a.startAt < b.startAt ? -1 : a.startAt > b.startAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
