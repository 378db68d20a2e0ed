import { Session, VendorSignUpRequest } from '@slotcast/protocol';
import type { FastifyInstance } from 'fastify';
import type { AuthService } from '../../usecases/auth.js';
import type { OpenApiDocument } from '../openapi.js';
import { type Authenticate, defineRoute } from '../route.js';
import type { SessionCookies } from '../session-cookie.js';

/** Account creation beyond the customer sign-up of auth-routes.ts. */
export function accountRoutes(
  app: FastifyInstance,
  deps: { doc: OpenApiDocument; authenticate: Authenticate; auth: AuthService; cookies: SessionCookies },
) {
  defineRoute(
    app,
    deps,
    {
      method: 'POST',
      url: '/auth/register-vendor',
      summary: 'Create a vendor and its owner account together, and sign the owner in',
      tag: 'auth',
      auth: 'public',
      body: VendorSignUpRequest,
      response: { status: 201, schema: Session, description: 'The owner, signed in' },
      errors: ['AUTH_EMAIL_TAKEN'],
    },
    async ({ body, request, reply }) => ({
      body: deps.cookies.deliver(request, reply, await deps.auth.registerVendorOwner(body)),
    }),
  );
}
