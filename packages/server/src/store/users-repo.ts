import { type Role, SlotcastError, type User } from '@slotcast/protocol';
import { PG, pgErrorCode, type Queryable } from './db.js';

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  vendor_id: string | null;
  is_owner: boolean;
  password_hash: string;
}
const toUser = (r: UserRow): User => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role,
  vendorId: r.vendor_id,
  isOwner: r.is_owner,
});

/** Throws AUTH_EMAIL_TAKEN when an account has this email (the unique index decides, so concurrent sign-ups race safely). */
export async function insertUser(db: Queryable, u: Omit<User, 'id'> & { passwordHash: string }): Promise<User> {
  try {
    const [row] = await db.query<UserRow>(
      `INSERT INTO users (email, name, role, vendor_id, is_owner, password_hash)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [u.email, u.name, u.role, u.vendorId, u.isOwner, u.passwordHash],
    );
    return toUser(row!);
  } catch (err) {
    if (pgErrorCode(err) === PG.UNIQUE_VIOLATION) throw new SlotcastError('AUTH_EMAIL_TAKEN');
    throw err;
  }
}

export async function findUserByEmail(db: Queryable, email: string): Promise<(User & { passwordHash: string }) | null> {
  const [row] = await db.query<UserRow>('SELECT * FROM users WHERE email = $1', [email]);
  return row ? { ...toUser(row), passwordHash: row.password_hash } : null;
}

export async function getUser(db: Queryable, id: string): Promise<User | null> {
  const [row] = await db.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
  return row ? toUser(row) : null;
}

export async function countUsers(db: Queryable): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT count(*)::int8 AS n FROM users');
  return row?.n ?? 0;
}
