import {
  AvailabilityQuery,
  AvailabilityResponse,
  CreateResourceRequest,
  CreateServiceRequest,
  CreateStaffRequest,
  CreateVendorRequest,
  IdParams,
  ResourceList,
  ServiceList,
  UpdateResourceHoursRequest,
  UpdateVendorRequest,
  VendorList,
} from '../api.js';
import { Resource, Service, User, Vendor } from '../entities.js';
import { defineRoute } from './define-route.js';

const tag = 'catalogue';

export const listVendors = defineRoute({
  method: 'GET',
  path: '/vendors',
  summary: 'All vendors',
  tag,
  auth: 'public',
  response: { status: 200, schema: VendorList, description: 'Vendors' },
  errors: [],
});

export const createVendor = defineRoute({
  method: 'POST',
  path: '/vendors',
  summary: 'Create a vendor (admin)',
  tag,
  auth: 'required',
  body: CreateVendorRequest,
  response: { status: 201, schema: Vendor, description: 'Created' },
  errors: ['FORBIDDEN'],
});

export const getVendor = defineRoute({
  method: 'GET',
  path: '/vendors/:id',
  summary: 'One vendor',
  tag,
  auth: 'public',
  params: IdParams,
  response: { status: 200, schema: Vendor, description: 'The vendor' },
  errors: ['NOT_FOUND'],
});

export const updateVendor = defineRoute({
  method: 'PATCH',
  path: '/vendors/:id',
  summary: 'Change vendor settings (owner, admin)',
  tag,
  auth: 'required',
  params: IdParams,
  body: UpdateVendorRequest,
  response: { status: 200, schema: Vendor, description: 'Updated' },
  errors: ['FORBIDDEN', 'NOT_FOUND'],
});

export const addStaff = defineRoute({
  method: 'POST',
  path: '/vendors/:id/staff',
  summary: 'Add a staff account to a vendor (owner, admin)',
  tag,
  auth: 'required',
  params: IdParams,
  body: CreateStaffRequest,
  response: { status: 201, schema: User, description: 'Created' },
  errors: ['FORBIDDEN', 'NOT_FOUND', 'AUTH_EMAIL_TAKEN'],
});

export const listResources = defineRoute({
  method: 'GET',
  path: '/vendors/:id/resources',
  summary: "A vendor's resources",
  tag,
  auth: 'public',
  params: IdParams,
  response: { status: 200, schema: ResourceList, description: 'Resources' },
  errors: ['NOT_FOUND'],
});

export const createResource = defineRoute({
  method: 'POST',
  path: '/vendors/:id/resources',
  summary: 'Create a resource with its opening hours (owner, admin)',
  tag,
  auth: 'required',
  params: IdParams,
  body: CreateResourceRequest,
  response: { status: 201, schema: Resource, description: 'Created' },
  errors: ['FORBIDDEN', 'NOT_FOUND'],
});

export const getResource = defineRoute({
  method: 'GET',
  path: '/resources/:id',
  summary: 'One resource',
  tag,
  auth: 'public',
  params: IdParams,
  response: { status: 200, schema: Resource, description: 'The resource' },
  errors: ['NOT_FOUND'],
});

export const updateResourceHours = defineRoute({
  method: 'PATCH',
  path: '/resources/:id/hours',
  summary: 'Change weekly hours or exceptions (owner, admin)',
  tag,
  auth: 'required',
  params: IdParams,
  body: UpdateResourceHoursRequest,
  response: { status: 200, schema: Resource, description: 'Updated' },
  errors: ['FORBIDDEN', 'NOT_FOUND'],
});

export const availability = defineRoute({
  method: 'GET',
  path: '/resources/:id/availability',
  summary: 'Free slots for a service on a resource, by local dates of the resource',
  tag,
  auth: 'public',
  params: IdParams,
  query: AvailabilityQuery,
  response: { status: 200, schema: AvailabilityResponse, description: 'Free slots' },
  errors: ['NOT_FOUND', 'SERVICE_NOT_OFFERED'],
});

export const listServices = defineRoute({
  method: 'GET',
  path: '/vendors/:id/services',
  summary: "A vendor's services",
  tag,
  auth: 'public',
  params: IdParams,
  response: { status: 200, schema: ServiceList, description: 'Services' },
  errors: ['NOT_FOUND'],
});

export const createService = defineRoute({
  method: 'POST',
  path: '/vendors/:id/services',
  summary: 'Create a service offered on some of the vendor’s resources (owner, admin)',
  tag,
  auth: 'required',
  params: IdParams,
  body: CreateServiceRequest,
  response: { status: 201, schema: Service, description: 'Created' },
  errors: ['FORBIDDEN', 'NOT_FOUND'],
});
