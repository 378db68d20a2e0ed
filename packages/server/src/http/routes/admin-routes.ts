import { PresenceResponse } from '@slotcast/protocol';
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../../usecases/actor.js';
import type { OpenApiDocument } from '../openapi.js';
import { type Authenticate, defineRoute } from '../route.js';

export function adminRoutes(
  app: FastifyInstance,
  deps: { doc: OpenApiDocument; authenticate: Authenticate; presence?: () => Promise<PresenceResponse> },
) {
  const tag = 'admin';

  defineRoute(
    app,
    deps,
    {
      method: 'GET',
      url: '/admin/presence',
      summary: 'Open sockets across the cluster, by role and by node (admin)',
      tag,
      auth: 'required',
      response: { status: 200, schema: PresenceResponse, description: 'Socket counts' },
      errors: ['FORBIDDEN'],
    },
    async ({ caller }) => {
      requireRole(caller, 'admin');
      const empty = { total: 0, byRole: { customer: 0, staff: 0, admin: 0 }, byNode: [] };
      return { body: deps.presence ? await deps.presence() : empty };
    },
  );
}
