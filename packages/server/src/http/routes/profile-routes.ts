import { ROUTES } from '@slotcast/protocol';
import type { FastifyInstance } from 'fastify';
import type { PeopleService } from '../../usecases/people.js';
import { type RouteDeps, routeHandlers } from '../route.js';

export function profileRoutes(app: FastifyInstance, deps: RouteDeps & { people: PeopleService }) {
  const { people } = deps;
  const handle = routeHandlers(app, deps);

  handle(ROUTES.getProfile, async ({ caller }) => ({ body: await people.profile(caller) }));
  handle(ROUTES.updateProfile, async ({ caller, body }) => ({ body: await people.updateProfile(caller, body) }));
}
