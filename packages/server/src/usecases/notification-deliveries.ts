import { batchDecision, nextDigestAt } from '../domain/notification-batching.js';
import { digestHeading, digestMessage } from '../domain/notification-digest.js';
import { decide } from '../domain/quiet-hours.js';
import type { Db, Queryable } from '../store/db.js';
import {
  claimDue,
  type HeldRow,
  insertHeld,
  insertOutbox,
  markSent,
  type NewOutboxRow,
  type OutboxRow,
  recentTraffic,
  type SendChannel,
  takeDueHeld,
  vendorNamesOfBookings,
} from '../store/deliveries-repo.js';
import type { NewNotification } from '../store/notifications-repo.js';
import type { PreferenceService } from './notification-preferences.js';

export type { OutboxRow, SendChannel };

export interface Planned extends NewNotification {
  /** When the booking starts, for urgent break-through. */
  bookingStart: Date | null;
}

const SEND_CHANNELS: readonly SendChannel[] = ['push', 'email'];

export interface DeliveryOptions {
  /** NOTIFY_BATCH_WINDOW_SECONDS in ms; 0 turns batching off. */
  batchWindowMs?: number;
}

/**
 * Applies preferences, quiet hours, staff digests and the batching window to notifications on every channel. In-app
 * is the notifications table itself (always itemised); push and email go through `notification_outbox` (due now) or
 * `notification_held` (until quiet hours end, the batching window closes, or the staff digest's hour comes; then one
 * digest per user × channel). The outbox sender (workers/outbox-sender.ts) claims due rows; see docs/architecture.md.
 */
export class DeliveryService {
  private readonly batchWindowMs: number;

  constructor(
    private readonly db: Db,
    private readonly preferences: PreferenceService,
    private readonly now: () => Date = () => new Date(),
    options: DeliveryOptions = {},
  ) {
    this.batchWindowMs = options.batchWindowMs ?? 60_000;
  }

  /**
   * Within the caller's transaction: writes the push and email rows of a batch of notifications and returns the ones
   * that go to the in-app list. Idempotent per (user, channel, source event), like the notifications themselves.
   */
  async route(tx: Queryable, planned: Planned[]): Promise<NewNotification[]> {
    if (planned.length === 0) return [];
    const now = this.now();
    const prefs = await this.preferences.deliveryPrefsOf(
      tx,
      planned.map((p) => p.userId),
    );
    const traffic = await recentTraffic(
      tx,
      planned.map((p) => p.userId),
      new Date(now.getTime() - this.batchWindowMs),
    );
    const inApp: NewNotification[] = [];
    const outbox: NewOutboxRow[] = [];
    const held: HeldRow[] = [];
    for (const { bookingStart, ...n } of planned) {
      const p = prefs.get(n.userId);
      if (!p) continue;
      const start = bookingStart ?? undefined;
      if (decide(p, n.category, 'in_app', now, start).kind === 'send') inApp.push(n);
      for (const channel of SEND_CHANNELS) {
        const d = decide(p, n.category, channel, now, start);
        if (d.kind === 'drop') continue;
        const common = { userId: n.userId, channel, category: n.category, bookingId: n.bookingId };
        const hold = (reason: HeldRow['reason'], until: Date) =>
          held.push({
            ...common,
            reason,
            sourceEventId: n.sourceEventId,
            title: n.title,
            body: n.body,
            holdUntil: until,
          });
        if (d.kind === 'hold') {
          hold('quiet', d.until);
          continue;
        }
        const frequency = p.frequencies?.get(n.category);
        if (frequency) {
          hold(frequency, nextDigestAt(frequency, now, p.quietHours.timeZone));
          continue;
        }
        // Later notifications of this batch see the earlier ones: the first goes, the rest wait for the window.
        const key = `${n.userId} ${channel}`;
        const recent = traffic.get(key);
        const b = batchDecision(recent, now, this.batchWindowMs);
        if (b.kind === 'hold') {
          hold('batch', b.until);
          traffic.set(key, { lastDue: recent?.lastDue ?? null, batchUntil: b.until });
          continue;
        }
        traffic.set(key, { lastDue: now, batchUntil: null });
        outbox.push({
          ...common,
          kind: 'single',
          title: n.title,
          body: n.body,
          items: 1,
          dedupeKey: `event:${n.sourceEventId}`,
          dueAt: now,
        });
      }
    }
    await insertOutbox(tx, outbox);
    await insertHeld(tx, held);
    return inApp;
  }

  /**
   * The digest job (run by the workers loop on every node): folds held rows whose quiet hours have ended into one
   * outbox row per user × channel. Exactly once across nodes (see `takeDueHeld`). Returns how many digests it made.
   */
  async releaseHeld(now: Date = this.now(), groups = 200): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows = await takeDueHeld(tx, now, groups);
      const vendors = await vendorNamesOfBookings(tx, [
        ...new Set(rows.flatMap((r) => (r.bookingId ? [r.bookingId] : []))),
      ]);
      const byPair = new Map<string, HeldRow[]>();
      for (const r of rows) {
        const key = `${r.userId} ${r.channel}`;
        byPair.set(key, [...(byPair.get(key) ?? []), r]);
      }
      const digests: NewOutboxRow[] = [...byPair.values()].map((items) => {
        const first = items[0]!;
        const single = items.length === 1;
        const { title, body } = single ? first : digestMessage(items, digestHeading(items, vendors));
        const oneCategory = items.every((i) => i.category === first.category);
        return {
          userId: first.userId,
          channel: first.channel,
          kind: single ? 'single' : 'digest',
          // A digest of one category keeps it (push urgency and TTL follow it); a mixed one has none.
          category: oneCategory ? first.category : null,
          bookingId: single ? first.bookingId : null,
          title,
          body,
          items: items.length,
          dedupeKey: single ? `event:${first.sourceEventId}` : `digest:${first.sourceEventId}`,
          dueAt: now,
        };
      });
      return insertOutbox(tx, digests);
    });
  }

  /** For senders: claim due messages of a channel (lease `leaseMs`), send each keyed by its id, then `markSent`. */
  claimDue(channel: SendChannel, limit = 100, leaseMs = 60_000, now: Date = this.now()): Promise<OutboxRow[]> {
    return claimDue(this.db, channel, now, leaseMs, limit);
  }

  async markSent(ids: number[], at: Date = this.now()): Promise<void> {
    await markSent(this.db, ids, at);
  }
}
