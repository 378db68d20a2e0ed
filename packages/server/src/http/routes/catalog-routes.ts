import { ROUTES } from '@slotcast/protocol';
import type { FastifyInstance } from 'fastify';
import type { BookingService } from '../../usecases/bookings.js';
import type { CatalogService } from '../../usecases/catalog.js';
import { type RouteDeps, routeHandlers } from '../route.js';

export function catalogRoutes(
  app: FastifyInstance,
  deps: RouteDeps & { catalog: CatalogService; bookings: BookingService },
) {
  const { catalog } = deps;
  const handle = routeHandlers(app, deps);

  handle(ROUTES.listVendors, async () => ({ body: await catalog.listVendors() }));
  handle(ROUTES.createVendor, async ({ caller, body }) => ({ body: await catalog.createVendor(caller, body) }));
  handle(ROUTES.getVendor, async ({ params }) => ({ body: await catalog.vendor(params.id) }));
  handle(ROUTES.updateVendor, async ({ caller, params, body }) => ({
    body: await catalog.updateVendor(caller, params.id, body),
  }));
  handle(ROUTES.addStaff, async ({ caller, params, body }) => ({
    body: await catalog.createStaff(caller, params.id, body),
  }));
  handle(ROUTES.listResources, async ({ params }) => ({ body: await catalog.resources(params.id) }));
  handle(ROUTES.createResource, async ({ caller, params, body }) => ({
    body: await catalog.createResource(caller, params.id, body),
  }));
  handle(ROUTES.getResource, async ({ params }) => ({ body: await catalog.resource(params.id) }));
  handle(ROUTES.updateResourceHours, async ({ caller, params, body }) => ({
    body: await catalog.updateResourceHours(caller, params.id, body),
  }));
  handle(ROUTES.availability, async ({ caller, params, query }) => {
    const resource = await catalog.resource(params.id);
    const slots = await deps.bookings.availability(params.id, query.serviceId, query.from, query.to, {
      caller,
      moving: query.moving,
    });
    return { body: { resourceId: params.id, serviceId: query.serviceId, timezone: resource.timezone, slots } };
  });
  handle(ROUTES.listServices, async ({ params }) => ({ body: await catalog.services(params.id) }));
  handle(ROUTES.createService, async ({ caller, params, body }) => ({
    body: await catalog.createService(caller, params.id, body),
  }));
}
