import {
  AvailabilityQuery,
  AvailabilityResponse,
  CreateResourceRequest,
  CreateServiceRequest,
  CreateStaffRequest,
  CreateVendorRequest,
  IdParams,
  Resource,
  ResourceList,
  Service,
  ServiceList,
  UpdateResourceHoursRequest,
  UpdateVendorRequest,
  User,
  Vendor,
  VendorList,
} from '@slotcast/protocol';
import type { FastifyInstance } from 'fastify';
import type { BookingService } from '../../usecases/bookings.js';
import type { CatalogService } from '../../usecases/catalog.js';
import type { OpenApiDocument } from '../openapi.js';
import { type Authenticate, defineRoute } from '../route.js';

export function catalogRoutes(
  app: FastifyInstance,
  deps: { doc: OpenApiDocument; authenticate: Authenticate; catalog: CatalogService; bookings: BookingService },
) {
  const { catalog } = deps;
  const tag = 'catalogue';

  defineRoute(
    app,
    deps,
    {
      method: 'GET',
      url: '/vendors',
      summary: 'All vendors',
      tag,
      auth: 'public',
      response: { status: 200, schema: VendorList, description: 'Vendors' },
      errors: [],
    },
    async () => ({ body: await catalog.listVendors() }),
  );
  defineRoute(
    app,
    deps,
    {
      method: 'POST',
      url: '/vendors',
      summary: 'Create a vendor (admin)',
      tag,
      auth: 'required',
      body: CreateVendorRequest,
      response: { status: 201, schema: Vendor, description: 'Created' },
      errors: ['FORBIDDEN'],
    },
    async ({ caller, body }) => ({ body: await catalog.createVendor(caller, body) }),
  );
  defineRoute(
    app,
    deps,
    {
      method: 'GET',
      url: '/vendors/:id',
      summary: 'One vendor',
      tag,
      auth: 'public',
      params: IdParams,
      response: { status: 200, schema: Vendor, description: 'The vendor' },
      errors: ['NOT_FOUND'],
    },
    async ({ params }) => ({ body: await catalog.vendor(params.id) }),
  );
  defineRoute(
    app,
    deps,
    {
      method: 'PATCH',
      url: '/vendors/:id',
      summary: 'Change vendor settings (owner, admin)',
      tag,
      auth: 'required',
      params: IdParams,
      body: UpdateVendorRequest,
      response: { status: 200, schema: Vendor, description: 'Updated' },
      errors: ['FORBIDDEN', 'NOT_FOUND'],
    },
    async ({ caller, params, body }) => ({ body: await catalog.updateVendor(caller, params.id, body) }),
  );
  defineRoute(
    app,
    deps,
    {
      method: 'POST',
      url: '/vendors/:id/staff',
      summary: 'Add a staff account to a vendor (owner, admin)',
      tag,
      auth: 'required',
      params: IdParams,
      body: CreateStaffRequest,
      response: { status: 201, schema: User, description: 'Created' },
      errors: ['FORBIDDEN', 'NOT_FOUND', 'AUTH_EMAIL_TAKEN'],
    },
    async ({ caller, params, body }) => ({ body: await catalog.createStaff(caller, params.id, body) }),
  );
  defineRoute(
    app,
    deps,
    {
      method: 'GET',
      url: '/vendors/:id/resources',
      summary: "A vendor's resources",
      tag,
      auth: 'public',
      params: IdParams,
      response: { status: 200, schema: ResourceList, description: 'Resources' },
      errors: ['NOT_FOUND'],
    },
    async ({ params }) => ({ body: await catalog.resources(params.id) }),
  );
  defineRoute(
    app,
    deps,
    {
      method: 'POST',
      url: '/vendors/:id/resources',
      summary: 'Create a resource with its opening hours (owner, admin)',
      tag,
      auth: 'required',
      params: IdParams,
      body: CreateResourceRequest,
      response: { status: 201, schema: Resource, description: 'Created' },
      errors: ['FORBIDDEN', 'NOT_FOUND'],
    },
    async ({ caller, params, body }) => ({ body: await catalog.createResource(caller, params.id, body) }),
  );
  defineRoute(
    app,
    deps,
    {
      method: 'GET',
      url: '/resources/:id',
      summary: 'One resource',
      tag,
      auth: 'public',
      params: IdParams,
      response: { status: 200, schema: Resource, description: 'The resource' },
      errors: ['NOT_FOUND'],
    },
    async ({ params }) => ({ body: await catalog.resource(params.id) }),
  );
  defineRoute(
    app,
    deps,
    {
      method: 'PATCH',
      url: '/resources/:id/hours',
      summary: 'Change weekly hours or exceptions (owner, admin)',
      tag,
      auth: 'required',
      params: IdParams,
      body: UpdateResourceHoursRequest,
      response: { status: 200, schema: Resource, description: 'Updated' },
      errors: ['FORBIDDEN', 'NOT_FOUND'],
    },
    async ({ caller, params, body }) => ({ body: await catalog.updateResourceHours(caller, params.id, body) }),
  );
  defineRoute(
    app,
    deps,
    {
      method: 'GET',
      url: '/resources/:id/availability',
      summary: 'Free slots for a service on a resource, by local dates of the resource',
      tag,
      auth: 'public',
      params: IdParams,
      query: AvailabilityQuery,
      response: { status: 200, schema: AvailabilityResponse, description: 'Free slots' },
      errors: ['NOT_FOUND', 'SERVICE_NOT_OFFERED'],
    },
    async ({ params, query }) => {
      const resource = await catalog.resource(params.id);
      const slots = await deps.bookings.availability(params.id, query.serviceId, query.from, query.to);
      return { body: { resourceId: params.id, serviceId: query.serviceId, timezone: resource.timezone, slots } };
    },
  );
  defineRoute(
    app,
    deps,
    {
      method: 'GET',
      url: '/vendors/:id/services',
      summary: "A vendor's services",
      tag,
      auth: 'public',
      params: IdParams,
      response: { status: 200, schema: ServiceList, description: 'Services' },
      errors: ['NOT_FOUND'],
    },
    async ({ params }) => ({ body: await catalog.services(params.id) }),
  );
  defineRoute(
    app,
    deps,
    {
      method: 'POST',
      url: '/vendors/:id/services',
      summary: 'Create a service offered on some of the vendor’s resources (owner, admin)',
      tag,
      auth: 'required',
      params: IdParams,
      body: CreateServiceRequest,
      response: { status: 201, schema: Service, description: 'Created' },
      errors: ['FORBIDDEN', 'NOT_FOUND'],
    },
    async ({ caller, params, body }) => ({ body: await catalog.createService(caller, params.id, body) }),
  );
}
