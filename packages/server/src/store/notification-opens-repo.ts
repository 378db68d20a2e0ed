import type { Queryable } from './db.js';

/** Records that a message's link was followed, the first time only; unknown (or pruned) messages are ignored. */
export async function recordOpen(db: Queryable, outboxId: number, at: Date): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO notification_opens (outbox_id, opened_at)
     SELECT id, $2 FROM notification_outbox WHERE id = $1
     ON CONFLICT (outbox_id) DO NOTHING RETURNING outbox_id`,
    [outboxId, at],
  );
  return rows.length > 0;
}

/** `recordOpen` for several messages in one statement (a grouped push notification clicked). */
export async function recordOpens(db: Queryable, outboxIds: number[], at: Date): Promise<void> {
  if (outboxIds.length === 0) return;
  await db.query(
    `INSERT INTO notification_opens (outbox_id, opened_at)
     SELECT id, $2 FROM notification_outbox WHERE id = ANY($1::int8[])
     ON CONFLICT (outbox_id) DO NOTHING`,
    [outboxIds, at],
  );
}
