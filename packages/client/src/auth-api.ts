import {
  type AccountStatus,
  type LoginRequest,
  type RegisterRequest,
  ROUTES,
  type Session,
  type User,
  type VendorSignUpRequest,
} from '@slotcast/protocol';
import type { z } from 'zod';
import type { HttpTransport } from './http-transport.js';
import type { TokenManager } from './token-manager.js';

export type RegisterInput = z.input<typeof RegisterRequest>;
export type LoginInput = z.input<typeof LoginRequest>;
export type VendorSignUpInput = z.input<typeof VendorSignUpRequest>;

/** Sign-up, sign-in, refresh, sign-out and the current user. Signing in stores the pair in the TokenManager. */
export class AuthApi {
  constructor(
    private readonly http: HttpTransport,
    private readonly tokens: TokenManager,
  ) {}

  async register(input: RegisterInput, opts: { signal?: AbortSignal } = {}): Promise<Session> {
    const pair = await this.http.call(ROUTES.register, { body: input }, opts);
    await this.tokens.setSession(pair);
    return pair;
  }

  /** Creates a vendor and its owner account together, and signs the owner in. */
  async registerVendor(input: VendorSignUpInput, opts: { signal?: AbortSignal } = {}): Promise<Session> {
    const pair = await this.http.call(ROUTES.registerVendor, { body: input }, opts);
    await this.tokens.setSession(pair);
    return pair;
  }

  async login(input: LoginInput, opts: { signal?: AbortSignal } = {}): Promise<Session> {
    const pair = await this.http.call(ROUTES.login, { body: input }, opts);
    await this.tokens.setSession(pair);
    return pair;
  }

  /** Rotates the pair now (normally the TokenManager does this by itself). */
  async refresh(): Promise<Session> {
    await this.tokens.refresh();
    return this.tokens.session!;
  }

  /** Revokes the session on the server (best effort) and forgets it here, whatever the server said. */
  async logout(): Promise<void> {
    await this.tokens.ready;
    const session = this.tokens.session;
    try {
      if (session) {
        // Without a refresh token here it is in the browser's cookie, which this request revokes and clears.
        const body = session.refreshToken ? { refreshToken: session.refreshToken } : {};
        await this.http.call(ROUTES.logout, { body });
      }
    } finally {
      await this.tokens.signOut('logout');
    }
  }

  /** Confirms the email address with the token of the mailed link (works signed in or not). */
  verifyEmail(token: string): Promise<AccountStatus> {
    return this.http.call(ROUTES.verifyEmail, { body: { token } });
  }

  resendVerification(): Promise<undefined> {
    return this.http.call(ROUTES.resendVerification, {});
  }

  accountStatus(opts: { signal?: AbortSignal } = {}): Promise<AccountStatus> {
    return this.http.call(ROUTES.accountStatus, {}, opts);
  }

  /** Mails a reset link if the account exists; the answer is the same either way. */
  requestPasswordReset(email: string): Promise<undefined> {
    return this.http.call(ROUTES.requestPasswordReset, { body: { email } });
  }

  /** Sets a new password with the mailed link's token; every session of the account ends. */
  resetPassword(token: string, password: string): Promise<undefined> {
    return this.http.call(ROUTES.resetPassword, { body: { token, password } });
  }

  me(opts: { signal?: AbortSignal } = {}): Promise<User> {
    return this.http.call(ROUTES.me, {}, opts);
  }

  /** The raw refresh call the TokenManager uses; it does not touch the stored session. */
  static refresher(http: HttpTransport): (refreshToken: string | undefined) => Promise<Session> {
    return (refreshToken) => http.call(ROUTES.refresh, { body: refreshToken ? { refreshToken } : {} });
  }
}
