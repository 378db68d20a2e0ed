import {
  type AccountEventData,
  type AccountEventType,
  type AccountStatus,
  DETAILS,
  type NewPasswordRequest,
  SlotcastError,
} from '@slotcast/protocol';
import { hashPassword } from '../auth/passwords.js';
import { hashRefreshToken, newRefreshToken } from '../auth/tokens.js';
import {
  type AccountTokenPurpose,
  consumeAccountToken,
  insertAccountToken,
  isEmailVerified,
  markEmailUnverified,
  markEmailVerified,
  retireAccountTokens,
  revokeUserSessions,
  setPasswordHash,
} from '../store/account-tokens-repo.js';
import type { Db, Queryable } from '../store/db.js';
import { appendEvents } from '../store/event-log.js';
import { findUserByEmail, getUser } from '../store/users-repo.js';
import type { Caller } from './actor.js';

export interface AccountServiceDeps {
  db: Db;
  /** Config EMAIL_VERIFICATION: new sign-ups must verify their address before booking. */
  verificationRequired: boolean;
  verifyTtlHours?: number;
  resetTtlMinutes?: number;
  now?: () => Date;
  /** Told after events were committed (wakes the bus). */
  onEvents?: () => void;
  /** Told of the sessions a password reset revoked, to close their sockets with the reason. */
  onSessionsRevoked?: (sessionIds: string[], message: string) => void;
}

export const DEFAULT_VERIFY_TTL_HOURS = 48;
export const DEFAULT_RESET_TTL_MINUTES = 30;

/**
 * Email verification and password reset. A link's token is random, stored only as its hash, single-use and
 * short-lived; the mail carrying it is sent by the mailer worker from a private `account.*` event.
 */
export class AccountService {
  constructor(private readonly deps: AccountServiceDeps) {}

  get verificationRequired(): boolean {
    return this.deps.verificationRequired;
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** After a sign-up (inside its transaction): the account starts unverified and a link is mailed. */
  async startVerification(tx: Queryable, user: { id: string; email: string; name: string }): Promise<void> {
    if (!this.deps.verificationRequired) return;
    await markEmailUnverified(tx, user.id);
    await this.issue(tx, user, 'verify_email', 'account.verification_requested');
  }

  async status(caller: Caller): Promise<AccountStatus> {
    return { emailVerified: await isEmailVerified(this.deps.db, caller.userId) };
  }

  /** Refuses unverified accounts where verification is required (booking). */
  async requireVerified(caller: Caller): Promise<void> {
    if (!this.deps.verificationRequired || caller.role !== 'customer') return;
    if (!(await isEmailVerified(this.deps.db, caller.userId))) {
      throw new SlotcastError('EMAIL_NOT_VERIFIED', DETAILS.verifyBeforeBooking());
    }
  }

  async resendVerification(caller: Caller): Promise<void> {
    const user = await getUser(this.deps.db, caller.userId);
    if (!user || (await isEmailVerified(this.deps.db, user.id))) return;
    await this.deps.db.transaction((tx) => this.issue(tx, user, 'verify_email', 'account.verification_requested'));
    this.deps.onEvents?.();
  }

  async verify(token: string): Promise<AccountStatus> {
    const now = this.now();
    const ok = await this.deps.db.transaction(async (tx) => {
      const userId = await consumeAccountToken(tx, hashRefreshToken(token), 'verify_email', now);
      if (!userId) return false;
      await markEmailVerified(tx, userId, now);
      await retireAccountTokens(tx, userId, 'verify_email', now);
      return true;
    });
    if (!ok) throw new SlotcastError('AUTH_LINK_INVALID');
    return { emailVerified: true };
  }

  /** Mails a reset link when the account exists; says nothing either way (the route answers 202 regardless). */
  async requestReset(email: string): Promise<void> {
    const user = await findUserByEmail(this.deps.db, email);
    if (!user) return;
    await this.deps.db.transaction((tx) => this.issue(tx, user, 'reset_password', 'account.password_reset_requested'));
    this.deps.onEvents?.();
  }

  /** Sets the new password, uses up the link and revokes every session of the account. */
  async reset(req: NewPasswordRequest): Promise<void> {
    const now = this.now();
    const passwordHash = await hashPassword(req.password);
    const revoked = await this.deps.db.transaction(async (tx) => {
      const userId = await consumeAccountToken(tx, hashRefreshToken(req.token), 'reset_password', now);
      if (!userId) return null;
      await setPasswordHash(tx, userId, passwordHash);
      await retireAccountTokens(tx, userId, 'reset_password', now);
      // Whoever opened the link reads that mailbox: the address is verified too.
      await markEmailVerified(tx, userId, now);
      return revokeUserSessions(tx, userId, 'password reset');
    });
    if (!revoked) throw new SlotcastError('AUTH_LINK_INVALID');
    this.deps.onSessionsRevoked?.(revoked, DETAILS.passwordChanged());
  }

  private async issue(
    tx: Queryable,
    user: { id: string; email: string; name: string },
    purpose: AccountTokenPurpose,
    type: AccountEventType,
  ): Promise<void> {
    const now = this.now();
    const ttlMs =
      purpose === 'verify_email'
        ? (this.deps.verifyTtlHours ?? DEFAULT_VERIFY_TTL_HOURS) * 3_600_000
        : (this.deps.resetTtlMinutes ?? DEFAULT_RESET_TTL_MINUTES) * 60_000;
    const { token, hash } = newRefreshToken();
    await retireAccountTokens(tx, user.id, purpose, now);
    await insertAccountToken(tx, {
      tokenHash: hash,
      userId: user.id,
      purpose,
      expiresAt: new Date(now.getTime() + ttlMs),
    });
    const data: AccountEventData = { userId: user.id, email: user.email, name: user.name, token };
    // No scope: an internal event reaches no socket and no replay (realtime/rooms.ts, store/event-log.ts).
    await appendEvents(tx, [
      { type, bookingId: null, vendorId: null, customerId: null, resourceId: null, userId: null, data },
    ]);
  }
}
