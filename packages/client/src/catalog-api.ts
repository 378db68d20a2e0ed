import {
  AvailabilityResponse,
  type CreateResourceRequest,
  type CreateServiceRequest,
  type CreateStaffRequest,
  type CreateVendorRequest,
  Resource,
  ResourceList,
  Service,
  ServiceList,
  type UpdateResourceHoursRequest,
  type UpdateVendorRequest,
  User,
  Vendor,
  VendorList,
} from '@slotcast/protocol';
import type { z } from 'zod';
import type { HttpTransport } from './http-transport.js';

export interface RequestOptions {
  signal?: AbortSignal;
}
export interface MutationOptions extends RequestOptions {
  /** Pass the key of an earlier attempt when the user retries the same action (e.g. after a network error). */
  idempotencyKey?: string;
}

export type CreateVendorInput = z.input<typeof CreateVendorRequest>;
export type UpdateVendorInput = z.input<typeof UpdateVendorRequest>;
export type CreateStaffInput = z.input<typeof CreateStaffRequest>;
export type CreateResourceInput = z.input<typeof CreateResourceRequest>;
export type UpdateResourceHoursInput = z.input<typeof UpdateResourceHoursRequest>;
export type CreateServiceInput = z.input<typeof CreateServiceRequest>;
export interface AvailabilityInput {
  serviceId: string;
  /** Local dates of the resource (YYYY-MM-DD), inclusive. */
  from: string;
  to: string;
}
export type Availability = z.infer<typeof AvailabilityResponse>;

const id = encodeURIComponent;

// The server does not deduplicate catalogue writes by Idempotency-Key (only booking writes), so they are not
// re-sent after a network error: the lost answer may belong to a write that happened.
export class VendorsApi {
  constructor(private readonly http: HttpTransport) {}

  list(opts: RequestOptions = {}): Promise<Vendor[]> {
    return this.http.request({ method: 'GET', path: '/vendors', auth: false, schema: VendorList, ...opts });
  }
  get(vendorId: string, opts: RequestOptions = {}): Promise<Vendor> {
    return this.http.request({ method: 'GET', path: `/vendors/${id(vendorId)}`, auth: false, schema: Vendor, ...opts });
  }
  create(input: CreateVendorInput, opts: MutationOptions = {}): Promise<Vendor> {
    return this.http.request({ method: 'POST', path: '/vendors', body: input, auth: true, schema: Vendor, ...opts });
  }
  update(vendorId: string, input: UpdateVendorInput, opts: MutationOptions = {}): Promise<Vendor> {
    return this.http.request({
      method: 'PATCH',
      path: `/vendors/${id(vendorId)}`,
      body: input,
      auth: true,
      schema: Vendor,
      ...opts,
    });
  }
  addStaff(vendorId: string, input: CreateStaffInput, opts: MutationOptions = {}): Promise<User> {
    return this.http.request({
      method: 'POST',
      path: `/vendors/${id(vendorId)}/staff`,
      body: input,
      auth: true,
      schema: User,
      ...opts,
    });
  }
  resources(vendorId: string, opts: RequestOptions = {}): Promise<Resource[]> {
    return this.http.request({
      method: 'GET',
      path: `/vendors/${id(vendorId)}/resources`,
      auth: false,
      schema: ResourceList,
      ...opts,
    });
  }
  createResource(vendorId: string, input: CreateResourceInput, opts: MutationOptions = {}): Promise<Resource> {
    return this.http.request({
      method: 'POST',
      path: `/vendors/${id(vendorId)}/resources`,
      body: input,
      auth: true,
      schema: Resource,
      ...opts,
    });
  }
  services(vendorId: string, opts: RequestOptions = {}): Promise<Service[]> {
    return this.http.request({
      method: 'GET',
      path: `/vendors/${id(vendorId)}/services`,
      auth: false,
      schema: ServiceList,
      ...opts,
    });
  }
  createService(vendorId: string, input: CreateServiceInput, opts: MutationOptions = {}): Promise<Service> {
    return this.http.request({
      method: 'POST',
      path: `/vendors/${id(vendorId)}/services`,
      body: input,
      auth: true,
      schema: Service,
      ...opts,
    });
  }
}

export class ResourcesApi {
  constructor(private readonly http: HttpTransport) {}

  get(resourceId: string, opts: RequestOptions = {}): Promise<Resource> {
    return this.http.request({
      method: 'GET',
      path: `/resources/${id(resourceId)}`,
      auth: false,
      schema: Resource,
      ...opts,
    });
  }
  updateHours(resourceId: string, input: UpdateResourceHoursInput, opts: MutationOptions = {}): Promise<Resource> {
    return this.http.request({
      method: 'PATCH',
      path: `/resources/${id(resourceId)}/hours`,
      body: input,
      auth: true,
      schema: Resource,
      ...opts,
    });
  }
  /** Free slots for a service on the resource, by the resource's local dates. */
  availability(resourceId: string, query: AvailabilityInput, opts: RequestOptions = {}): Promise<Availability> {
    return this.http.request({
      method: 'GET',
      path: `/resources/${id(resourceId)}/availability`,
      query: { serviceId: query.serviceId, from: query.from, to: query.to },
      auth: false,
      schema: AvailabilityResponse,
      ...opts,
    });
  }
}
