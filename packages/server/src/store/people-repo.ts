import type { BookingCustomer, Profile, UpdateProfileRequest } from '@slotcast/protocol';
import type { Queryable } from './db.js';

interface ProfileRow {
  name: string;
  email: string;
  phone: string | null;
  timezone: string | null;
  share_phone: boolean;
  share_email: boolean;
}
const toProfile = (r: ProfileRow): Profile => ({
  name: r.name,
  email: r.email,
  phone: r.phone,
  timezone: r.timezone,
  sharePhone: r.share_phone,
  shareEmail: r.share_email,
});
const PROFILE_COLUMNS = 'name, email, phone, timezone, share_phone, share_email';

export async function getProfile(db: Queryable, userId: string): Promise<Profile | null> {
  const [row] = await db.query<ProfileRow>(`SELECT ${PROFILE_COLUMNS} FROM users WHERE id = $1`, [userId]);
  return row ? toProfile(row) : null;
}

/** Fields left undefined stay; null clears phone or time zone. */
export async function updateProfile(
  db: Queryable,
  userId: string,
  patch: UpdateProfileRequest,
): Promise<Profile | null> {
  const [row] = await db.query<ProfileRow>(
    `UPDATE users SET
       name = coalesce($2, name),
       phone = CASE WHEN $3::boolean THEN $4 ELSE phone END,
       timezone = CASE WHEN $5::boolean THEN $6 ELSE timezone END,
       share_phone = coalesce($7, share_phone),
       share_email = coalesce($8, share_email)
     WHERE id = $1 RETURNING ${PROFILE_COLUMNS}`,
    [
      userId,
      patch.name ?? null,
      patch.phone !== undefined,
      patch.phone ?? null,
      patch.timezone !== undefined,
      patch.timezone ?? null,
      patch.sharePhone ?? null,
      patch.shareEmail ?? null,
    ],
  );
  return row ? toProfile(row) : null;
}

/** Name and the contact details each customer chose to share, by user id. */
export async function customerContacts(
  db: Queryable,
  userIds: readonly string[],
): Promise<Map<string, BookingCustomer>> {
  if (userIds.length === 0) return new Map();
  const rows = await db.query<ProfileRow & { id: string }>(
    `SELECT id, ${PROFILE_COLUMNS} FROM users WHERE id = ANY($1::uuid[])`,
    [[...new Set(userIds)]],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      { name: r.name, email: r.share_email ? r.email : null, phone: r.share_phone ? r.phone : null },
    ]),
  );
}

/** Display names by user id (for who-did-what in a booking's timeline). */
export async function userNames(db: Queryable, userIds: readonly string[]): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await db.query<{ id: string; name: string }>('SELECT id, name FROM users WHERE id = ANY($1::uuid[])', [
    [...new Set(userIds)],
  ]);
  return new Map(rows.map((r) => [r.id, r.name]));
}
