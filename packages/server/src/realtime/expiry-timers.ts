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
  /** When `key`'s token expires (ms since the epoch), read again when its slot comes due. */
  expiresAt(key: K): number;
  expiring(key: K, expiresAt: number): void;
  expired(key: K): void;
}

/**
 * Token expiry of every socket on one timer: deadlines are kept in slots of `resolutionMs`, and a single timer is armed
 * for the earliest slot. A socket costs one map entry holding the slot it waits in and one member of that slot's set,
 * not two Node timers (which weigh ~100 bytes each and keep the timer list long at 10,000 sockets). A socket waits in
 * its warning slot, then in its closing slot; its deadline is read from the key (`expiresAt`) rather than kept here.
 * Slots are counted from the timers' creation, so they stay small integers (no heap number per socket).
 */
export class ExpiryTimers<K> {
  private readonly clock: Clock;
  private readonly resolution: number;
  /** The slot 0 of `slots`: absolute slot numbers are `base + slot`. */
  private readonly base: number;
  /** Per key, the slot it waits in. */
  private readonly entries = new Map<K, number>();
  private readonly slots = new Map<number, Set<K>>();
  /** Slot numbers with members, ascending. */
  private readonly order: number[] = [];
  private timer: unknown = null;
  private armedFor = Number.POSITIVE_INFINITY;

  constructor(private readonly opts: ExpiryTimersOptions<K>) {
    this.clock = opts.clock ?? systemClock;
    this.resolution = opts.resolutionMs ?? 250;
    this.base = Math.floor(this.clock.now() / this.resolution);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Schedules `key` (again) by its current `expiresAt`. */
  schedule(key: K): void {
    this.clear(key);
    const now = this.clock.now();
    const inMs = this.opts.expiresAt(key) - now;
    // Never more than half the token's life ahead, so short-lived tokens do not ask again the moment they arrive. An
    // expired token's warning slot is now's, and it is closed in it.
    const warnAt = now + Math.max(0, inMs - Math.min(this.opts.leadMs, inMs / 2));
    this.add(this.slotOf(warnAt), key);
    this.arm();
  }

  clear(key: K): void {
    const slot = this.entries.get(key);
    if (slot === undefined) return;
    this.entries.delete(key);
    this.slots.get(slot)?.delete(key);
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
    return Math.ceil(at / this.resolution) - this.base;
  }

  private add(slot: number, key: K): void {
    this.entries.set(key, slot);
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
    this.timer = this.clock.setTimeout(
      () => this.fire(),
      Math.max(0, (this.base + first) * this.resolution - this.clock.now()),
    );
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
        if (this.entries.get(key) !== slot) continue;
        const expiresAt = this.opts.expiresAt(key);
        const closeSlot = this.slotOf(expiresAt);
        if (closeSlot <= slot) {
          this.entries.delete(key);
          this.opts.expired(key);
        } else {
          // The warning slot: ask for a fresh token, then wait in the closing slot (a later one, so this loop or the
          // next timer reaches it).
          this.opts.expiring(key, expiresAt);
          this.add(closeSlot, key);
        }
      }
    }
    this.arm();
  }
}
