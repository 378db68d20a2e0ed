import type { TokenPair, User, VendorSignUpRequest } from '@slotcast/protocol';
import { DETAILS, SlotcastError } from '@slotcast/protocol';
import DataLoader from 'dataloader';
import { LRUCache } from 'lru-cache';
import { dummyHash, hashPassword, verifyPassword } from '../auth/passwords.js';
import { type AccessClaims, hashRefreshToken, newRefreshToken, type TokenSigner } from '../auth/tokens.js';
import { insertVendor } from '../store/catalog-repo.js';
import type { Db, Queryable } from '../store/db.js';
import {
  activeSessionIds,
  createSession,
  insertRefreshToken,
  lockRefreshToken,
  markRefreshTokenUsed,
  revokeSession,
  sessionOfRefreshToken,
} from '../store/sessions-repo.js';
import { findUserByEmail, getUser, insertUser } from '../store/users-repo.js';
import type { Caller } from './actor.js';
import { batchPerTurn } from './loader-batching.js';

export interface AuthServiceDeps {
  db: Db;
  signer: TokenSigner;
  refreshTtlDays: number;
  /** How long a used refresh token may be presented again before it counts as stolen. */
  reuseGraceMs?: number;
  /** Runs in the sign-up's transaction after the account is written (email verification); then `onEvents`. */
  onSignUp?: (tx: Queryable, user: User) => Promise<void>;
  onEvents?: () => void;
  /** Told after a session is revoked (logout, refresh-token reuse), e.g. to close its sockets. */
  onSessionRevoked?: (sessionId: string) => void;
}

// A session found active is trusted this long without asking the database again. Revocation on this node clears it
// at once; other nodes notice within this time (their sockets are closed at once through the adapter).
const SESSION_CHECK_TTL_MS = 5_000;
const SESSION_CACHE_MAX = 50_000;
// Access tokens whose signature was checked: the same token (every request of a client) skips the HMAC and claim
// parsing. Each entry lives no longer than the token itself, so an expired token is verified again and refused.
const TOKEN_CACHE_MAX = 50_000;

export class AuthService {
  private readonly activeSessions = new LRUCache<string, true>({ max: SESSION_CACHE_MAX, ttl: SESSION_CHECK_TTL_MS });
  private readonly verifiedTokens = new LRUCache<string, Readonly<AccessClaims>>({ max: TOKEN_CACHE_MAX });

  // Session checks that miss the cache in the same event-loop turn share one query: a reconnect storm brings thousands
  // of sessions at once, each checked once, and one round trip per check held the handshakes' turns and the pool.
  private readonly sessionChecks = new DataLoader<string, boolean>(
    async (ids) => {
      const active = await activeSessionIds(this.deps.db, ids);
      return ids.map((id) => active.has(id));
    },
    { cache: false, maxBatchSize: 500, batchScheduleFn: batchPerTurn },
  );

  constructor(private readonly deps: AuthServiceDeps) {}

  async register(req: { email: string; password: string; name: string }): Promise<TokenPair> {
    const passwordHash = await hashPassword(req.password);
    const user = await this.deps.db.transaction(async (tx) => {
      const u = await insertUser(tx, {
        email: req.email,
        name: req.name,
        role: 'customer',
        vendorId: null,
        isOwner: false,
        passwordHash,
      });
      await this.deps.onSignUp?.(tx, u);
      return u;
    });
    this.deps.onEvents?.();
    return this.startSession(user);
  }

  /** A vendor and its owner, created together (the owner is staff of it), then signed in. */
  async registerVendorOwner(req: VendorSignUpRequest): Promise<TokenPair> {
    const passwordHash = await hashPassword(req.password);
    try {
      const user = await this.deps.db.transaction(async (tx) => {
        const vendor = await insertVendor(tx, req.vendor);
        const owner = await insertUser(tx, {
          email: req.email,
          name: req.name,
          role: 'staff',
          vendorId: vendor.id,
          isOwner: true,
          passwordHash,
        });
        await this.deps.onSignUp?.(tx, owner);
        return owner;
      });
      this.deps.onEvents?.();
      return await this.startSession(user);
    } catch (err) {
      // The store reports a taken slug against its own body; here the slug is inside `vendor`.
      if (err instanceof SlotcastError && err.code === 'VALIDATION_FAILED') {
        throw new SlotcastError('VALIDATION_FAILED', DETAILS.slugTaken(), {
          errors: [{ path: 'body.vendor.slug', message: 'already taken' }],
        });
      }
      throw err;
    }
  }

  async login(req: { email: string; password: string }): Promise<TokenPair> {
    const user = await findUserByEmail(this.deps.db, req.email);
    // Verify even without an account, so response time does not reveal which emails exist.
    const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), req.password);
    if (!user || !ok) throw new SlotcastError('AUTH_INVALID_CREDENTIALS');
    const { passwordHash: _, ...publicUser } = user;
    return this.startSession(publicUser);
  }

  /** Rotates a refresh token. Presenting one that was already rotated revokes the whole session. */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const hash = hashRefreshToken(refreshToken);
    const outcome = await this.deps.db.transaction(async (tx) => {
      const row = await lockRefreshToken(tx, hash);
      if (!row || row.revoked_at || row.expires_at.getTime() <= Date.now())
        return { error: 'AUTH_REFRESH_INVALID' as const };
      // A repeat within the grace period is a retry (the response was lost, or two tabs raced): rotate again.
      const retry = row.used_at && Date.now() - row.used_at.getTime() <= (this.deps.reuseGraceMs ?? 0);
      if (row.used_at && !retry) {
        await revokeSession(tx, row.session_id, 'refresh token reuse');
        return { error: 'AUTH_REFRESH_REUSED' as const, sessionId: row.session_id };
      }
      if (!row.used_at) await markRefreshTokenUsed(tx, hash);
      const next = newRefreshToken();
      await insertRefreshToken(tx, row.session_id, next.hash, this.refreshExpiry());
      return { error: undefined, sessionId: row.session_id, userId: row.user_id, refreshToken: next.token };
    });
    // The revocation above must commit, so the error is thrown after the transaction.
    if (outcome.error === 'AUTH_REFRESH_REUSED') this.revoked(outcome.sessionId);
    if (outcome.error !== undefined) throw new SlotcastError(outcome.error);
    const user = await getUser(this.deps.db, outcome.userId);
    if (!user) throw new SlotcastError('AUTH_REFRESH_INVALID');
    return this.pair(user, outcome.sessionId, outcome.refreshToken);
  }

  async logout(refreshToken: string): Promise<void> {
    const sessionId = await sessionOfRefreshToken(this.deps.db, hashRefreshToken(refreshToken));
    if (!sessionId) return;
    await revokeSession(this.deps.db, sessionId, 'logout');
    this.revoked(sessionId);
  }

  /** The signed-in user; a token whose account is gone is no longer valid. */
  async me(caller: Caller): Promise<User> {
    const user = await getUser(this.deps.db, caller.userId);
    if (!user) throw new SlotcastError('AUTH_TOKEN_INVALID');
    return user;
  }

  /**
   * Verifies an access token and that its session was not revoked (logout, token reuse). The claims are the cached
   * object, shared by every use of the token (a socket keeps it as its data's `claims`): read-only.
   */
  async authenticate(token: string): Promise<Readonly<AccessClaims>> {
    const cached = this.verifiedTokens.get(token);
    // The cache's own clock is monotonic; the token's expiry is wall-clock time, checked here as jose would.
    const claims = cached && cached.expiresAt > Date.now() ? cached : await this.verifyAndRemember(token);
    // Revocation is checked per session, not per token: revoked() drops the session, and every token of it fails.
    if (this.activeSessions.has(claims.sessionId)) return claims;
    if (!(await this.sessionChecks.load(claims.sessionId))) {
      this.activeSessions.delete(claims.sessionId);
      throw new SlotcastError('AUTH_TOKEN_INVALID', DETAILS.sessionRevoked());
    }
    this.activeSessions.set(claims.sessionId, true);
    return claims;
  }

  private async verifyAndRemember(token: string): Promise<Readonly<AccessClaims>> {
    const claims = await this.deps.signer.verify(token);
    const ttl = claims.expiresAt - Date.now();
    if (ttl > 0) this.verifiedTokens.set(token, claims, { ttl });
    return claims;
  }

  private revoked(sessionId: string): void {
    this.activeSessions.delete(sessionId);
    this.deps.onSessionRevoked?.(sessionId);
  }

  private async startSession(user: User): Promise<TokenPair> {
    const refresh = newRefreshToken();
    const sessionId = await this.deps.db.transaction(async (tx) => {
      const id = await createSession(tx, user.id);
      await insertRefreshToken(tx, id, refresh.hash, this.refreshExpiry());
      return id;
    });
    return this.pair(user, sessionId, refresh.token);
  }

  private async pair(user: User, sessionId: string, refreshToken: string): Promise<TokenPair> {
    const access = await this.deps.signer.sign({
      userId: user.id,
      role: user.role,
      vendorId: user.vendorId,
      isOwner: user.isOwner,
      sessionId,
    });
    return { accessToken: access.token, accessTokenExpiresAt: access.expiresAt.toISOString(), refreshToken, user };
  }

  private refreshExpiry(): Date {
    return new Date(Date.now() + this.deps.refreshTtlDays * 86_400_000);
  }
}
