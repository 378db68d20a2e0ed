import { ROUTES } from '@slotcast/protocol';
import type { FastifyInstance } from 'fastify';
import type { PreferenceService } from '../../usecases/notification-preferences.js';
import { type RouteDeps, routeHandlers } from '../route.js';

export function preferenceRoutes(app: FastifyInstance, deps: RouteDeps & { preferences: PreferenceService }) {
  const { preferences } = deps;
  const handle = routeHandlers(app, deps);

  handle(ROUTES.getNotificationPreferences, async ({ caller }) => ({ body: await preferences.get(caller) }));
  handle(ROUTES.updateNotificationPreferences, async ({ caller, body }) => ({
    body: await preferences.update(caller, body),
  }));
  handle(ROUTES.getVendorNotificationDefaults, async ({ caller, params }) => ({
    body: await preferences.vendorDefaults(caller, params.id),
  }));
  handle(ROUTES.updateVendorNotificationDefaults, async ({ caller, params, body }) => ({
    body: await preferences.updateVendorDefaults(caller, params.id, body),
  }));
  handle(ROUTES.notificationFrequency, async ({ caller, query }) => ({
    body: await preferences.frequencyReport(caller, new Date(query.from), new Date(query.to)),
  }));
}
