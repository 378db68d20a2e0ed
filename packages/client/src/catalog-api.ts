import type {
  AvailabilityResponse,
  CreateResourceRequest,
  CreateServiceRequest,
  CreateStaffRequest,
  CreateVendorRequest,
  Resource,
  Service,
  UpdateResourceHoursRequest,
  UpdateVendorRequest,
  User,
  Vendor,
} from '@slotcast/protocol';
import { ROUTES } from '@slotcast/protocol';
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
  /** The booking being moved (one the user may see): its own time counts as free. */
  moving?: string;
}
export type Availability = z.infer<typeof AvailabilityResponse>;

// The server does not deduplicate catalogue writes by Idempotency-Key (only booking writes), so they are not
// re-sent after a network error: the lost answer may belong to a write that happened.

export class VendorsApi {
  constructor(private readonly http: HttpTransport) {}

  list(opts: RequestOptions = {}): Promise<Vendor[]> {
    return this.http.call(ROUTES.listVendors, {}, opts);
  }
  get(vendorId: string, opts: RequestOptions = {}): Promise<Vendor> {
    return this.http.call(ROUTES.getVendor, { params: { id: vendorId } }, opts);
  }
  create(input: CreateVendorInput, opts: MutationOptions = {}): Promise<Vendor> {
    return this.http.call(ROUTES.createVendor, { body: input }, opts);
  }
  update(vendorId: string, input: UpdateVendorInput, opts: MutationOptions = {}): Promise<Vendor> {
    return this.http.call(ROUTES.updateVendor, { params: { id: vendorId }, body: input }, opts);
  }
  addStaff(vendorId: string, input: CreateStaffInput, opts: MutationOptions = {}): Promise<User> {
    return this.http.call(ROUTES.addStaff, { params: { id: vendorId }, body: input }, opts);
  }
  resources(vendorId: string, opts: RequestOptions = {}): Promise<Resource[]> {
    return this.http.call(ROUTES.listResources, { params: { id: vendorId } }, opts);
  }
  createResource(vendorId: string, input: CreateResourceInput, opts: MutationOptions = {}): Promise<Resource> {
    return this.http.call(ROUTES.createResource, { params: { id: vendorId }, body: input }, opts);
  }
  services(vendorId: string, opts: RequestOptions = {}): Promise<Service[]> {
    return this.http.call(ROUTES.listServices, { params: { id: vendorId } }, opts);
  }
  createService(vendorId: string, input: CreateServiceInput, opts: MutationOptions = {}): Promise<Service> {
    return this.http.call(ROUTES.createService, { params: { id: vendorId }, body: input }, opts);
  }
}

export class ResourcesApi {
  constructor(private readonly http: HttpTransport) {}

  get(resourceId: string, opts: RequestOptions = {}): Promise<Resource> {
    return this.http.call(ROUTES.getResource, { params: { id: resourceId } }, opts);
  }
  updateHours(resourceId: string, input: UpdateResourceHoursInput, opts: MutationOptions = {}): Promise<Resource> {
    return this.http.call(ROUTES.updateResourceHours, { params: { id: resourceId }, body: input }, opts);
  }
  /** Free slots for a service on the resource, by the resource's local dates. */
  availability(resourceId: string, query: AvailabilityInput, opts: RequestOptions = {}): Promise<Availability> {
    const { serviceId, from, to, moving } = query;
    return this.http.call(
      ROUTES.availability,
      { params: { id: resourceId }, query: { serviceId, from, to, ...(moving ? { moving } : {}) } },
      // A booking being moved is the caller's to name: the token goes with it.
      moving ? { ...opts, auth: true } : opts,
    );
  }
}
