import type {
  DigestFrequency,
  NotificationCategory,
  NotificationChannel,
  QuietHours,
  QuietWindow,
} from '@slotcast/protocol';
import type { Queryable } from './db.js';

export interface StoredCell {
  category: NotificationCategory;
  channel: NotificationChannel;
  enabled: boolean;
}
export interface CellChange {
  category: NotificationCategory;
  channel: NotificationChannel;
  /** null removes the choice. */
  enabled: boolean | null;
}

export const NO_QUIET_HOURS: QuietHours = { timeZone: 'UTC', windows: [], urgentWithinHours: null };

/** Each user's own cells, for many users in one query. */
export async function ownCells(db: Queryable, userIds: string[]): Promise<Map<string, StoredCell[]>> {
  const out = new Map<string, StoredCell[]>(userIds.map((u) => [u, []]));
  if (userIds.length === 0) return out;
  const rows = await db.query<StoredCell & { user_id: string }>(
    `SELECT user_id, category, channel, enabled FROM notification_preferences
      WHERE user_id = ANY($1::uuid[]) ORDER BY user_id, category, channel`,
    [[...new Set(userIds)]],
  );
  for (const { user_id, ...cell } of rows) out.get(user_id)?.push(cell);
  return out;
}

export async function vendorCells(db: Queryable, vendorIds: string[]): Promise<Map<string, StoredCell[]>> {
  const out = new Map<string, StoredCell[]>(vendorIds.map((v) => [v, []]));
  if (vendorIds.length === 0) return out;
  const rows = await db.query<StoredCell & { vendor_id: string }>(
    `SELECT vendor_id, category, channel, enabled FROM vendor_notification_defaults
      WHERE vendor_id = ANY($1::uuid[]) ORDER BY vendor_id, category, channel`,
    [[...new Set(vendorIds)]],
  );
  for (const { vendor_id, ...cell } of rows) out.get(vendor_id)?.push(cell);
  return out;
}

/** Applies a user's changes and logs each one (the frequency report counts categories turned off). */
/**
 * Applies a user's changes and logs each one (the frequency report counts categories turned off). Cells set are
 * upserted and cleared ones deleted, so two concurrent writers (two tabs, an owner and an admin) never collide on
 * the key: the later write wins.
 */
export async function setOwnCells(tx: Queryable, userId: string, changes: CellChange[], at: Date): Promise<void> {
  if (changes.length === 0) return;
  await applyCells(tx, 'notification_preferences', 'user_id', userId, changes, at);
  const col = <K extends keyof CellChange>(k: K) => changes.map((c) => c[k]);
  await tx.query(
    `INSERT INTO notification_preference_changes (user_id, category, channel, enabled, changed_at)
     SELECT $1, *, $5 FROM unnest($2::text[], $3::text[], $4::bool[])`,
    [userId, col('category'), col('channel'), col('enabled'), at],
  );
}

export async function setVendorCells(tx: Queryable, vendorId: string, changes: CellChange[]): Promise<void> {
  await applyCells(tx, 'vendor_notification_defaults', 'vendor_id', vendorId, changes, null);
}

async function applyCells(
  tx: Queryable,
  table: 'notification_preferences' | 'vendor_notification_defaults',
  key: 'user_id' | 'vendor_id',
  id: string,
  changes: CellChange[],
  at: Date | null,
): Promise<void> {
  // One row per cell: the last change of a cell in the request wins (ON CONFLICT cannot touch a row twice).
  const last = [...new Map(changes.map((c) => [`${c.category} ${c.channel}`, c])).values()];
  const cleared = last.filter((c) => c.enabled === null);
  if (cleared.length)
    await tx.query(
      `DELETE FROM ${table} t USING unnest($2::text[], $3::text[]) AS c(category, channel)
        WHERE t.${key} = $1 AND t.category = c.category AND t.channel = c.channel`,
      [id, cleared.map((c) => c.category), cleared.map((c) => c.channel)],
    );
  const set = last.filter((c) => c.enabled !== null);
  if (set.length === 0) return;
  const stamp = at ? ', updated_at' : '';
  await tx.query(
    `INSERT INTO ${table} (${key}, category, channel, enabled${stamp})
     SELECT $1, c, ch, e${at ? ', $5::timestamptz' : ''} FROM unnest($2::text[], $3::text[], $4::bool[]) AS u(c, ch, e)
     ON CONFLICT (${key}, category, channel) DO UPDATE SET enabled = excluded.enabled${at ? ', updated_at = excluded.updated_at' : ''}`,
    [id, set.map((c) => c.category), set.map((c) => c.channel), set.map((c) => c.enabled), ...(at ? [at] : [])],
  );
}

interface SettingsRow {
  user_id: string;
  time_zone: string;
  quiet_windows: QuietWindow[] | string;
  urgent_within_hours: number | null;
}

/** Quiet hours of many users in one query; users who never set them have none. */
export async function quietHoursOf(db: Queryable, userIds: string[]): Promise<Map<string, QuietHours>> {
  const out = new Map<string, QuietHours>(userIds.map((u) => [u, NO_QUIET_HOURS]));
  if (userIds.length === 0) return out;
  const rows = await db.query<SettingsRow>('SELECT * FROM notification_settings WHERE user_id = ANY($1::uuid[])', [
    [...new Set(userIds)],
  ]);
  for (const r of rows) {
    out.set(r.user_id, {
      timeZone: r.time_zone,
      windows: typeof r.quiet_windows === 'string' ? JSON.parse(r.quiet_windows) : r.quiet_windows,
      urgentWithinHours: r.urgent_within_hours,
    });
  }
  return out;
}

export async function setQuietHours(tx: Queryable, userId: string, q: QuietHours, at: Date): Promise<void> {
  await tx.query(
    `INSERT INTO notification_settings (user_id, time_zone, quiet_windows, urgent_within_hours, updated_at)
     VALUES ($1, $2, $3::jsonb, $4, $5)
     ON CONFLICT (user_id) DO UPDATE SET time_zone = $2, quiet_windows = $3::jsonb, urgent_within_hours = $4,
       updated_at = $5`,
    [userId, q.timeZone, JSON.stringify(q.windows), q.urgentWithinHours, at],
  );
}

/** Role and vendor of each user (recipients of a batch), in one query. */
export async function rolesOf(
  db: Queryable,
  userIds: string[],
): Promise<Map<string, { role: 'customer' | 'staff' | 'admin'; vendorId: string | null }>> {
  if (userIds.length === 0) return new Map();
  const rows = await db.query<{ id: string; role: 'customer' | 'staff' | 'admin'; vendor_id: string | null }>(
    'SELECT id, role, vendor_id FROM users WHERE id = ANY($1::uuid[])',
    [[...new Set(userIds)]],
  );
  return new Map(rows.map((r) => [r.id, { role: r.role, vendorId: r.vendor_id }]));
}

/** A customer's own reminder offsets; null goes back to the vendor's. */
export async function setReminderOffsets(tx: Queryable, userId: string, offsets: number[] | null, at: Date) {
  await tx.query(
    `INSERT INTO notification_settings (user_id, time_zone, reminder_offsets_minutes, updated_at)
     VALUES ($1, 'UTC', $2::int[], $3)
     ON CONFLICT (user_id) DO UPDATE SET reminder_offsets_minutes = $2::int[], updated_at = $3`,
    [userId, offsets, at],
  );
}

export async function reminderOffsetsOf(db: Queryable, userId: string): Promise<number[] | null> {
  const [row] = await db.query<{ o: number[] | null }>(
    'SELECT reminder_offsets_minutes AS o FROM notification_settings WHERE user_id = $1',
    [userId],
  );
  return row?.o ? row.o.map(Number) : null;
}

export async function vendorReminderOffsets(db: Queryable, vendorId: string): Promise<number[] | null> {
  const [row] = await db.query<{ o: number[] }>(
    'SELECT offsets_minutes AS o FROM vendor_reminder_defaults WHERE vendor_id = $1',
    [vendorId],
  );
  return row ? row.o.map(Number) : null;
}

export async function setVendorReminderOffsets(tx: Queryable, vendorId: string, offsets: number[] | null) {
  if (offsets === null) await tx.query('DELETE FROM vendor_reminder_defaults WHERE vendor_id = $1', [vendorId]);
  else
    await tx.query(
      `INSERT INTO vendor_reminder_defaults (vendor_id, offsets_minutes) VALUES ($1, $2::int[])
       ON CONFLICT (vendor_id) DO UPDATE SET offsets_minutes = $2::int[]`,
      [vendorId, offsets],
    );
}

/** Staff digest choices (hourly/daily) per user and category; categories absent are `immediate`. */
export async function frequenciesOf(
  db: Queryable,
  userIds: string[],
): Promise<Map<string, Map<NotificationCategory, 'hourly' | 'daily'>>> {
  const out = new Map<string, Map<NotificationCategory, 'hourly' | 'daily'>>();
  if (userIds.length === 0) return out;
  const rows = await db.query<{ user_id: string; category: NotificationCategory; frequency: 'hourly' | 'daily' }>(
    'SELECT user_id, category, frequency FROM notification_frequencies WHERE user_id = ANY($1::uuid[])',
    [[...new Set(userIds)]],
  );
  for (const r of rows) {
    let m = out.get(r.user_id);
    if (!m) out.set(r.user_id, (m = new Map()));
    m.set(r.category, r.frequency);
  }
  return out;
}

/** Sets a user's digest choices; `immediate` removes the row (the default). */
export async function setFrequencies(
  tx: Queryable,
  userId: string,
  settings: readonly { category: NotificationCategory; frequency: DigestFrequency }[],
): Promise<void> {
  for (const s of settings) {
    if (s.frequency === 'immediate')
      await tx.query('DELETE FROM notification_frequencies WHERE user_id = $1 AND category = $2', [userId, s.category]);
    else
      await tx.query(
        `INSERT INTO notification_frequencies (user_id, category, frequency) VALUES ($1, $2, $3)
         ON CONFLICT (user_id, category) DO UPDATE SET frequency = $3`,
        [userId, s.category, s.frequency],
      );
  }
}
