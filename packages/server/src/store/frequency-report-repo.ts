import type { NotificationCategory } from '@slotcast/protocol';
import type { Queryable } from './db.js';

export interface CategoryCounts {
  category: NotificationCategory;
  sent: number;
  pushSent: number;
  emailSent: number;
  emailOpened: number;
  pushOpened: number;
  opened: number;
  medianSecondsToOpen: number | null;
  turnedOff: number;
}

/** The frequency report's figures over [from, to), one query per table. Categories with no activity are absent. */
export async function frequencyCounts(db: Queryable, from: Date, to: Date): Promise<CategoryCounts[]> {
  const [made, outbox, off] = await Promise.all([
    db.query<{ category: NotificationCategory; sent: number; opened: number; median: number | null }>(
      `SELECT category, count(*)::int AS sent, count(read_at)::int AS opened,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM read_at - created_at))
                FILTER (WHERE read_at IS NOT NULL) AS median
         FROM notifications WHERE created_at >= $1 AND created_at < $2 GROUP BY category`,
      [from, to],
    ),
    db.query<{
      category: NotificationCategory;
      push: number;
      email: number;
      email_opened: number;
      push_opened: number;
    }>(
      `SELECT category, count(*) FILTER (WHERE channel = 'push')::int AS push,
              count(*) FILTER (WHERE channel = 'email')::int AS email,
              count(o.outbox_id) FILTER (WHERE channel = 'email')::int AS email_opened,
              count(o.outbox_id) FILTER (WHERE channel = 'push')::int AS push_opened
         FROM notification_outbox LEFT JOIN notification_opens o ON o.outbox_id = notification_outbox.id
        WHERE kind = 'single' AND outcome = 'sent' AND sent_at >= $1 AND sent_at < $2 GROUP BY category`,
      [from, to],
    ),
    db.query<{ category: NotificationCategory; n: number }>(
      `SELECT category, count(*)::int AS n FROM notification_preference_changes
        WHERE enabled = false AND changed_at >= $1 AND changed_at < $2 GROUP BY category`,
      [from, to],
    ),
  ]);
  const out = new Map<NotificationCategory, CategoryCounts>();
  const entry = (category: NotificationCategory) => {
    let e = out.get(category);
    if (!e) {
      e = {
        category,
        sent: 0,
        pushSent: 0,
        emailSent: 0,
        emailOpened: 0,
        pushOpened: 0,
        opened: 0,
        medianSecondsToOpen: null,
        turnedOff: 0,
      };
      out.set(category, e);
    }
    return e;
  };
  for (const r of made)
    Object.assign(entry(r.category), {
      sent: Number(r.sent),
      opened: Number(r.opened),
      medianSecondsToOpen: r.median === null ? null : Number(r.median),
    });
  for (const r of outbox)
    Object.assign(entry(r.category), {
      pushSent: Number(r.push),
      emailSent: Number(r.email),
      emailOpened: Number(r.email_opened),
      pushOpened: Number(r.push_opened),
    });
  for (const r of off) entry(r.category).turnedOff = Number(r.n);
  return [...out.values()];
}
