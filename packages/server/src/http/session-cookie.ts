import cookie from '@fastify/cookie';
import { SESSION_COOKIE, SESSION_MODE_HEADER, type Session, SlotcastError, type TokenPair } from '@slotcast/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The browser's refresh token lives in an HttpOnly cookie no page script can read, sent only to the auth routes
 * (Path) and only by same-site requests (SameSite=Strict). Browsers ask for it with `X-Slotcast-Session: cookie`
 * on every auth request; reading the cookie also requires that header, which a cross-site form or link cannot set
 * and a cross-origin script can only send after a CORS preflight that this server refuses (CSRF). Clients without
 * the header keep the body-token flow.
 */
export async function sessionCookies(app: FastifyInstance, opts: { refreshTtlDays: number }) {
  await app.register(cookie);
  const maxAge = opts.refreshTtlDays * 86_400;
  return {
    /** Whether this request asked for the cookie flow. */
    wantsCookie(request: FastifyRequest): boolean {
      return request.headers[SESSION_MODE_HEADER] === 'cookie';
    },
    /** The refresh token of the request: from the body, else from the cookie (then only with the header). */
    refreshToken(request: FastifyRequest, fromBody: string | undefined): string {
      if (fromBody) return fromBody;
      const fromCookie = request.cookies[SESSION_COOKIE.name];
      if (!fromCookie) throw new SlotcastError('AUTH_REFRESH_INVALID', 'No refresh token in the body or the cookie');
      if (!this.wantsCookie(request)) {
        throw new SlotcastError(
          'AUTH_CSRF_REJECTED',
          `Send "${SESSION_MODE_HEADER}: cookie" to use the session cookie`,
        );
      }
      return fromCookie;
    },
    /** The answer to a sign-in or refresh: in cookie mode the refresh token goes into the cookie, not the body. */
    deliver(request: FastifyRequest, reply: FastifyReply, pair: TokenPair): Session {
      if (!this.wantsCookie(request)) return pair;
      const { refreshToken, ...rest } = pair;
      reply.setCookie(SESSION_COOKIE.name, refreshToken, {
        path: SESSION_COOKIE.path,
        httpOnly: true,
        secure: true,
        sameSite: 'strict',
        maxAge,
      });
      return rest;
    },
    clear(reply: FastifyReply): void {
      reply.clearCookie(SESSION_COOKIE.name, {
        path: SESSION_COOKIE.path,
        httpOnly: true,
        secure: true,
        sameSite: 'strict',
      });
    },
  };
}

export type SessionCookies = Awaited<ReturnType<typeof sessionCookies>>;
