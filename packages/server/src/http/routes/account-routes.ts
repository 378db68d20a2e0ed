import { ROUTES } from '@slotcast/protocol';
import type { FastifyInstance } from 'fastify';
import type { AccountService } from '../../usecases/accounts.js';
import type { AuthService } from '../../usecases/auth.js';
import { type RouteDeps, routeHandlers } from '../route.js';
import type { SessionCookies } from '../session-cookie.js';

/** Account creation beyond the customer sign-up of auth-routes.ts, email verification and password reset. */
export function accountRoutes(
  app: FastifyInstance,
  deps: RouteDeps & { auth: AuthService; accounts: AccountService; cookies: SessionCookies },
) {
  const { accounts } = deps;
  const handle = routeHandlers(app, deps);
  handle(ROUTES.registerVendor, async ({ body, request, reply }) => ({
    body: deps.cookies.deliver(request, reply, await deps.auth.registerVendorOwner(body)),
  }));
  handle(ROUTES.verifyEmail, async ({ body }) => ({ body: await accounts.verify(body.token) }));
  handle(ROUTES.resendVerification, async ({ caller }) => {
    await accounts.resendVerification(caller);
    return {};
  });
  handle(ROUTES.accountStatus, async ({ caller }) => ({ body: await accounts.status(caller) }));
  // 202 whether or not the account exists: the answer does not tell which emails have accounts.
  handle(ROUTES.requestPasswordReset, async ({ body }) => {
    await accounts.requestReset(body.email);
    return {};
  });
  handle(ROUTES.resetPassword, async ({ body }) => {
    await accounts.reset(body);
    return {};
  });
}
