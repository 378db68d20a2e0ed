import { type PresenceResponse, ROUTES } from '@slotcast/protocol';
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../../usecases/actor.js';
import { type RouteDeps, routeHandlers } from '../route.js';

export function adminRoutes(app: FastifyInstance, deps: RouteDeps & { presence?: () => Promise<PresenceResponse> }) {
  const handle = routeHandlers(app, deps);

  handle(ROUTES.presence, async ({ caller }) => {
    requireRole(caller, 'admin');
    const empty = { total: 0, byRole: { customer: 0, staff: 0, admin: 0 }, byNode: [] };
    return { body: deps.presence ? await deps.presence() : empty };
  });
}
