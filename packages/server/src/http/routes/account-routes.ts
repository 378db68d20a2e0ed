import { ROUTES } from '@slotcast/protocol';
import type { FastifyInstance } from 'fastify';
import type { AuthService } from '../../usecases/auth.js';
import { type RouteDeps, routeHandlers } from '../route.js';
import type { SessionCookies } from '../session-cookie.js';

/** Account creation beyond the customer sign-up of auth-routes.ts. */
export function accountRoutes(app: FastifyInstance, deps: RouteDeps & { auth: AuthService; cookies: SessionCookies }) {
  const handle = routeHandlers(app, deps);
  handle(ROUTES.registerVendor, async ({ body, request, reply }) => ({
    body: deps.cookies.deliver(request, reply, await deps.auth.registerVendorOwner(body)),
  }));
}
