import type {
  CreateResourceRequest,
  CreateServiceRequest,
  CreateVendorRequest,
  Resource,
  Service,
  User,
  Vendor,
} from '@slotcast/protocol';
import { DETAILS, SlotcastError } from '@slotcast/protocol';
import { hashPassword } from '../auth/passwords.js';
import type { CatalogCache } from '../store/catalog-cache.js';
import {
  insertResource,
  insertService,
  insertVendor,
  listResources,
  listServices,
  listVendors,
  updateResourceHours,
  updateVendor,
} from '../store/catalog-repo.js';
import type { Db } from '../store/db.js';
import { insertUser } from '../store/users-repo.js';
import { type Caller, requireRole, requireVendorManager } from './actor.js';

/** Vendors, their staff, resources and services. Reads are public; changes need an owner or an admin. */
export class CatalogService {
  constructor(
    private readonly db: Db,
    private readonly cache: CatalogCache,
  ) {}

  listVendors = (): Promise<Vendor[]> => listVendors(this.db);

  async vendor(id: string): Promise<Vendor> {
    const v = await this.cache.vendor(this.db, id);
    if (!v) throw new SlotcastError('NOT_FOUND', DETAILS.noSuch('vendor'));
    return v;
  }

  async resources(vendorId: string): Promise<Resource[]> {
    await this.vendor(vendorId);
    return listResources(this.db, vendorId);
  }

  async resource(id: string): Promise<Resource> {
    const r = await this.cache.resource(this.db, id);
    if (!r) throw new SlotcastError('NOT_FOUND', DETAILS.noSuch('resource'));
    return r;
  }

  async services(vendorId: string): Promise<Service[]> {
    await this.vendor(vendorId);
    return listServices(this.db, vendorId);
  }

  async createVendor(caller: Caller | null, req: CreateVendorRequest): Promise<Vendor> {
    requireRole(caller, 'admin');
    return insertVendor(this.db, req);
  }

  async updateVendor(caller: Caller | null, id: string, patch: Partial<Omit<Vendor, 'id' | 'slug'>>): Promise<Vendor> {
    requireVendorManager(caller, id);
    const v = await updateVendor(this.db, id, patch);
    // Every node drops it when the database's notification arrives; this node does not wait for that.
    this.cache.invalidate(id);
    if (!v) throw new SlotcastError('NOT_FOUND', DETAILS.noSuch('vendor'));
    return v;
  }

  async createStaff(
    caller: Caller | null,
    vendorId: string,
    req: { email: string; password: string; name: string; isOwner: boolean },
  ): Promise<User> {
    requireVendorManager(caller, vendorId);
    await this.vendor(vendorId);
    return insertUser(this.db, {
      email: req.email,
      name: req.name,
      role: 'staff',
      vendorId,
      isOwner: req.isOwner,
      passwordHash: await hashPassword(req.password),
    });
  }

  async createResource(caller: Caller | null, vendorId: string, req: CreateResourceRequest): Promise<Resource> {
    requireVendorManager(caller, vendorId);
    await this.vendor(vendorId);
    return insertResource(this.db, { vendorId, ...req });
  }

  async updateResourceHours(
    caller: Caller | null,
    id: string,
    req: Pick<Partial<Resource>, 'weeklyHours' | 'exceptions'>,
  ): Promise<Resource> {
    const current = await this.resource(id);
    requireVendorManager(caller, current.vendorId);
    const updated = (await updateResourceHours(this.db, id, req.weeklyHours, req.exceptions))!;
    this.cache.invalidate(id);
    return updated;
  }

  async createService(caller: Caller | null, vendorId: string, req: CreateServiceRequest): Promise<Service> {
    requireVendorManager(caller, vendorId);
    await this.vendor(vendorId);
    const own = new Set((await listResources(this.db, vendorId)).map((r) => r.id));
    const errors = req.resourceIds.flatMap((id, i) =>
      own.has(id) ? [] : [{ path: `body.resourceIds.${i}`, message: `${id} is not a resource of this vendor` }],
    );
    if (errors.length > 0) {
      throw new SlotcastError('VALIDATION_FAILED', 'resourceIds must be resources of this vendor', { errors });
    }
    return this.db.transaction((tx) => insertService(tx, { vendorId, ...req }));
  }
}
