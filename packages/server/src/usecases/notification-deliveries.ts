import type { NotificationCategory, NotificationChannel } from '@slotcast/protocol';
import { digestMessage } from '../domain/notification-digest.js';
import { type Delivery, decide } from '../domain/quiet-hours.js';
import type { Db, Queryable } from '../store/db.js';
import {
  claimDue,
  type HeldRow,
  insertHeld,
  insertOutbox,
  markSent,
  type NewOutboxRow,
  type OutboxRow,
  type SendChannel,
  takeDueHeld,
} from '../store/deliveries-repo.js';
import type { NewNotification } from '../store/notifications-repo.js';
import type { PreferenceService } from './notification-preferences.js';

export type { OutboxRow, SendChannel };

export interface Planned extends NewNotification {
  /** When the booking starts, for urgent break-through. */
  bookingStart: Date | null;
}

const SEND_CHANNELS: readonly SendChannel[] = ['push', 'email'];

/**
 * Applies preferences and quiet hours to notifications on every channel. In-app is the notifications table itself;
 * push and email go through `notification_outbox` (due now) or `notification_held` (until quiet hours end, then one
 * digest per user × channel). Senders (push worker, mailer) claim due outbox rows; see docs/architecture.md.
 */
export class DeliveryService {
  constructor(
    private readonly db: Db,
    private readonly preferences: PreferenceService,
    private readonly now: () => Date = () => new Date(),
  ) {}

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
        const common = { userId: n.userId, channel, category: n.category, bookingId: n.bookingId };
        if (d.kind === 'send')
          outbox.push({
            ...common,
            kind: 'single',
            title: n.title,
            body: n.body,
            items: 1,
            dedupeKey: `event:${n.sourceEventId}`,
            dueAt: now,
          });
        else if (d.kind === 'hold')
          held.push({ ...common, sourceEventId: n.sourceEventId, title: n.title, body: n.body, holdUntil: d.until });
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
      const byPair = new Map<string, HeldRow[]>();
      for (const r of rows) {
        const key = `${r.userId} ${r.channel}`;
        byPair.set(key, [...(byPair.get(key) ?? []), r]);
      }
      const digests: NewOutboxRow[] = [...byPair.values()].map((items) => {
        const first = items[0]!;
        const single = items.length === 1;
        const { title, body } = single ? first : digestMessage(items);
        return {
          userId: first.userId,
          channel: first.channel,
          kind: single ? 'single' : 'digest',
          category: single ? first.category : null,
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

  markSent(ids: number[], at: Date = this.now()): Promise<void> {
    return markSent(this.db, ids, at);
  }

  /**
   * For a sender that reacts to `notification.created` itself rather than claiming outbox rows: what this user's
   * preferences say for this category and channel at `at` (send, hold until, drop).
   */
  async deliveryDecision(
    userId: string,
    category: NotificationCategory,
    channel: NotificationChannel,
    at: Date,
    bookingStart?: Date,
    q: Queryable = this.db,
  ): Promise<Delivery> {
    const p = (await this.preferences.deliveryPrefsOf(q, [userId])).get(userId);
    return p ? decide(p, category, channel, at, bookingStart) : { kind: 'drop' };
  }
}
