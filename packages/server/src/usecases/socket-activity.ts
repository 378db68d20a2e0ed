import type { Role } from '@slotcast/protocol';
import type { Logger } from 'pino';
import type { Clock } from '../realtime/expiry-timers.js';
import type { Db } from '../store/db.js';
import { addActivity, type SocketHourActivity, type UserDayActivity } from '../store/engagement-repo.js';

const HOUR_MS = 3_600_000;
/** A connection begins a new session unless the user had a socket open on this node within this long. */
export const SESSION_GAP_MS = 30 * 60_000;

const DAY_MS = 86_400_000;
const hourStart = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;

/**
 * This node's socket activity for the engagement rollups (store/engagement-repo.ts). Connects are not in the event
 * log, so the gateway reports them here; they are counted in memory and added to the tables once per flush (two
 * statements, whatever the number of sockets), never one write per connection or message. A flush that fails keeps
 * its counts for the next one; a node that dies loses at most one interval of activity.
 */
export class SocketActivity {
  /**
   * Per user with a socket open on this node: how many (a small integer, no object per user: this is held for every
   * socket for as long as it is open).
   */
  private readonly openSockets = new Map<string, number>();
  /**
   * Per user whose last socket on this node closed: when, in whole seconds since `origin` (a small integer), until the
   * session gap has passed.
   */
  private readonly closedAt = new Map<string, number>();
  /** Per UTC day, per user: rows keyed without a string per connect (this is held for every socket until a flush). */
  private pendingUsers = new Map<string, Map<string, UserDayActivity>>();
  private today = { n: Number.NaN, name: '' };
  private pendingHours = new Map<number, SocketHourActivity>();
  private open = 0;
  private accruedTo: number;
  private readonly origin: number;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {
    this.accruedTo = now();
    this.origin = this.accruedTo;
  }

  connected(userId: string, role: Role): void {
    const at = this.now();
    this.accrue(at);
    this.open++;
    const open = this.openSockets.get(userId) ?? 0;
    const closed = this.closedAt.get(userId);
    const newSession = open === 0 && (closed === undefined || at - this.origin - closed * 1000 >= SESSION_GAP_MS);
    this.openSockets.set(userId, open + 1);
    if (closed !== undefined) this.closedAt.delete(userId);
    const day = this.utcDay(at);
    const rows = this.pendingUsers.get(day) ?? this.pendingUsers.set(day, new Map()).get(day)!;
    const row = rows.get(userId) ?? rows.set(userId, { day, userId, role, sessions: 0, connects: 0 }).get(userId)!;
    row.role = role;
    row.connects++;
    if (newSession) row.sessions++;
    this.hour(hourStart(at)).connects++;
  }

  disconnected(userId: string): void {
    const at = this.now();
    this.accrue(at);
    this.open = Math.max(0, this.open - 1);
    const open = this.openSockets.get(userId);
    if (open === undefined) return;
    if (open > 1) this.openSockets.set(userId, open - 1);
    else {
      this.openSockets.delete(userId);
      // Rounded up: a session gap is never taken as passed before it has.
      this.closedAt.set(userId, Math.ceil((at - this.origin) / 1000));
    }
  }

  /** Adds what was counted since the last flush; flushes run one at a time. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.flushNow());
    return this.flushing;
  }

  private async flushNow(): Promise<void> {
    const at = this.now();
    this.accrue(at);
    const users = this.pendingUsers;
    const hours = this.pendingHours;
    this.pendingUsers = new Map();
    this.pendingHours = new Map();
    for (const [id, closed] of this.closedAt)
      if (at - this.origin - closed * 1000 >= SESSION_GAP_MS) this.closedAt.delete(id);
    if (!users.size && !hours.size) return;
    try {
      const rows = [...users.values()].flatMap((byUser) => [...byUser.values()]);
      await this.db.transaction((tx) => addActivity(tx, rows, [...hours.values()]));
    } catch (err) {
      // Rolled back as a whole: the counts go back to the pending ones for the next flush.
      this.merge(users, hours);
      throw err;
    }
  }

  private merge(users: Map<string, Map<string, UserDayActivity>>, hours: Map<number, SocketHourActivity>) {
    for (const [day, byUser] of users) {
      const rows = this.pendingUsers.get(day) ?? this.pendingUsers.set(day, new Map()).get(day)!;
      for (const [userId, u] of byUser) {
        const cur = rows.get(userId);
        if (cur) {
          cur.sessions += u.sessions;
          cur.connects += u.connects;
        } else rows.set(userId, u);
      }
    }
    for (const [k, h] of hours) {
      const cur = this.hour(k);
      cur.connects += h.connects;
      cur.socketSeconds += h.socketSeconds;
    }
  }

  /** The UTC day of `ms` as YYYY-MM-DD: one string per day, shared by every row of that day. */
  private utcDay(ms: number): string {
    const n = Math.floor(ms / DAY_MS);
    if (n !== this.today.n) this.today = { n, name: new Date(n * DAY_MS).toISOString().slice(0, 10) };
    return this.today.name;
  }

  private hour(start: number): SocketHourActivity {
    let h = this.pendingHours.get(start);
    if (!h) {
      h = { hourStart: new Date(start).toISOString(), connects: 0, socketSeconds: 0 };
      this.pendingHours.set(start, h);
    }
    return h;
  }

  /** Adds the open sockets' seconds up to `at`, split at hour boundaries. */
  private accrue(at: number): void {
    let t = this.accruedTo;
    if (at <= t) return;
    if (this.open > 0) {
      while (t < at) {
        const end = Math.min(at, hourStart(t) + HOUR_MS);
        this.hour(hourStart(t)).socketSeconds += (this.open * (end - t)) / 1000;
        t = end;
      }
    }
    this.accruedTo = at;
  }
}

/** Flushes every `intervalMs` (the next timer armed after a flush ends) and once more on stop. */
export function flushSocketActivity(
  activity: SocketActivity,
  opts: { intervalMs: number; clock: Clock; logger: Logger },
): { stop(): Promise<void> } {
  let handle: unknown = null;
  let stopped = false;
  const tick = async () => {
    await activity.flush().catch((err) => opts.logger.warn({ err }, 'socket activity flush failed; kept for the next'));
    if (!stopped) handle = opts.clock.setTimeout(() => void tick(), opts.intervalMs);
  };
  handle = opts.clock.setTimeout(() => void tick(), opts.intervalMs);
  return {
    async stop() {
      stopped = true;
      opts.clock.clearTimeout(handle);
      await activity.flush().catch((err) => opts.logger.warn({ err }, 'last socket activity flush failed'));
    },
  };
}
