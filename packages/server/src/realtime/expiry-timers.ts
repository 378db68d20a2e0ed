/** Time and timers behind one small interface, so token-expiry tests run on fake timers instead of waiting. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface ExpiryTimersOptions<K> {
  clock?: Clock;
  /** How long before expiry to ask for a fresh token (at most half the token's remaining life). */
  leadMs: number;
  /** Deadlines are rounded up to this grain, so sockets whose tokens expire together share one wake-up. */
  resolutionMs?: number;
  expiring(key: K, expiresAt: number): void;
  expired(key: K): void;
}

interface Entry {
  expiresAt: number;
  warnSlot: number;
  closeSlot: number;
  warned: boolean;
}

/**
 * Token expiry of every socket on one timer: deadlines are kept in slots of `resolutionMs`, and a single timer is armed
 * for the earliest slot. A socket costs a map entry, not two Node timers (which weigh ~100 bytes each and keep the
 * timer list long at 10,000 sockets).
 */
export class ExpiryTimers<K> {
  private readonly clock: Clock;
  private readonly resolution: number;
  private readonly entries = new Map<K, Entry>();
  private readonly slots = new Map<number, Set<K>>();
  /** Slot numbers with members, ascending. */
  private readonly order: number[] = [];
  private timer: unknown = null;
  private armedFor = Number.POSITIVE_INFINITY;

  constructor(private readonly opts: ExpiryTimersOptions<K>) {
    this.clock = opts.clock ?? systemClock;
    this.resolution = opts.resolutionMs ?? 250;
  }

  get size(): number {
    return this.entries.size;
  }

  schedule(key: K, expiresAt: number): void {
    this.clear(key);
    const now = this.clock.now();
    const inMs = expiresAt - now;
    // Never more than half the token's life ahead, so short-lived tokens do not ask again the moment they arrive.
    const warnAt = now + Math.max(0, inMs - Math.min(this.opts.leadMs, inMs / 2));
    const entry: Entry = {
      expiresAt,
      warnSlot: this.slotOf(warnAt),
      closeSlot: this.slotOf(Math.max(now, expiresAt)),
      warned: false,
    };
    this.entries.set(key, entry);
    this.add(entry.warnSlot, key);
    this.add(entry.closeSlot, key);
    this.arm();
  }

  clear(key: K): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.slots.get(entry.warnSlot)?.delete(key);
    this.slots.get(entry.closeSlot)?.delete(key);
  }

  stop(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.armedFor = Number.POSITIVE_INFINITY;
    this.entries.clear();
    this.slots.clear();
    this.order.length = 0;
  }

  // Rounded up: a socket is never closed before its token expires.
  private slotOf(at: number): number {
    return Math.ceil(at / this.resolution);
  }

  private add(slot: number, key: K): void {
    let members = this.slots.get(slot);
    if (!members) {
      members = new Set();
      this.slots.set(slot, members);
      let lo = 0;
      let hi = this.order.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.order[mid]! < slot) lo = mid + 1;
        else hi = mid;
      }
      this.order.splice(lo, 0, slot);
    }
    members.add(key);
  }

  private arm(): void {
    const first = this.order[0];
    if (first === undefined || first >= this.armedFor) return;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.armedFor = first;
    this.timer = this.clock.setTimeout(() => this.fire(), Math.max(0, first * this.resolution - this.clock.now()));
  }

  private fire(): void {
    this.timer = null;
    this.armedFor = Number.POSITIVE_INFINITY;
    const due = this.slotOf(this.clock.now());
    while (this.order.length > 0 && this.order[0]! <= due) {
      const slot = this.order.shift()!;
      const members = this.slots.get(slot);
      this.slots.delete(slot);
      for (const key of members ?? []) {
        const entry = this.entries.get(key);
        if (!entry) continue;
        if (entry.closeSlot <= slot) {
          this.entries.delete(key);
          this.opts.expired(key);
        } else if (!entry.warned && entry.warnSlot <= slot) {
          entry.warned = true;
          this.opts.expiring(key, entry.expiresAt);
        }
      }
    }
    this.arm();
  }
}
