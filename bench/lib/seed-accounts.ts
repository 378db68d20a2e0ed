/**
 * Seeding the benchmarks share, through the server's own repositories so the rows are exactly what the API would
 * have made: vendors with resources open around the clock and one service, and accounts each with a session and an
 * access token signed with the server's TokenSigner (no login, no argon2 per account).
 */
import type { Service, WeeklyHours } from '@slotcast/protocol';
import { hashPassword } from '../../packages/server/src/auth/passwords.js';
import { TokenSigner } from '../../packages/server/src/auth/tokens.js';
import { insertResource, insertService, insertVendor } from '../../packages/server/src/store/catalog-repo.js';
import type { Queryable } from '../../packages/server/src/store/db.js';
import { createSession } from '../../packages/server/src/store/sessions-repo.js';
import { insertUser } from '../../packages/server/src/store/users-repo.js';
import { runClosedLoop } from './closed-loop.js';

/** One connected client: who it is, the session its token belongs to, and the token it connects with. */
export interface Identity {
  userId: string;
  role: 'customer' | 'staff';
  vendorId: string | null;
  sessionId: string;
  token: string;
}

export interface BenchVendor {
  id: string;
  serviceId: string;
  resourceIds: string[];
  staff: Identity[];
}

export interface Population {
  vendors: BenchVendor[];
  customers: Identity[];
}

const ALL_DAY = [{ start: '00:00', end: '24:00' }];
export const AROUND_THE_CLOCK: WeeklyHours = {
  mon: ALL_DAY,
  tue: ALL_DAY,
  wed: ALL_DAY,
  thu: ALL_DAY,
  fri: ALL_DAY,
  sat: ALL_DAY,
  sun: ALL_DAY,
};

export interface CatalogPlan {
  /** Resources ("Room 1"…), open around the clock in UTC. */
  resources: number;
  slotIntervalMinutes: number;
  /** The one service ("Session"), offered on every resource, without buffers. */
  serviceMinutes: number;
  priceMinor: number;
}

/** Inserts a vendor's resources and the one service offered on all of them. */
export async function insertCatalog(
  db: Queryable,
  vendorId: string,
  plan: CatalogPlan,
): Promise<{ resourceIds: string[]; service: Service }> {
  const resourceIds: string[] = [];
  for (let r = 0; r < plan.resources; r++) {
    const resource = await insertResource(db, {
      vendorId,
      name: `Room ${r + 1}`,
      timezone: 'UTC',
      slotIntervalMinutes: plan.slotIntervalMinutes,
      weeklyHours: AROUND_THE_CLOCK,
      exceptions: [],
    });
    resourceIds.push(resource.id);
  }
  const service = await insertService(db, {
    vendorId,
    name: 'Session',
    durationMinutes: plan.serviceMinutes,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    priceMinor: plan.priceMinor,
    currency: 'EUR',
    resourceIds,
  });
  return { resourceIds, service };
}

export interface VendorPlan {
  count: number;
  /** Names and slugs of vendor `v` (0-based). */
  name: (v: number) => string;
  slug: (v: number) => string;
  requestTtlMinutes: number;
  resourcesPerVendor: number;
  serviceMinutes: number;
}

/**
 * Inserts vendors that do not auto-confirm and let customers cancel up to the start, each with its resources (30-min
 * slots) and one service; no staff yet.
 */
export async function seedVendors(db: Queryable, plan: VendorPlan): Promise<BenchVendor[]> {
  const vendors: BenchVendor[] = [];
  for (let v = 0; v < plan.count; v++) {
    const vendor = await insertVendor(db, {
      name: plan.name(v),
      slug: plan.slug(v),
      autoConfirm: false,
      cancellationCutoffMinutes: 0,
      requestTtlMinutes: plan.requestTtlMinutes,
    });
    const { resourceIds, service } = await insertCatalog(db, vendor.id, {
      resources: plan.resourcesPerVendor,
      slotIntervalMinutes: 30,
      serviceMinutes: plan.serviceMinutes,
      priceMinor: 5000,
    });
    vendors.push({ id: vendor.id, serviceId: service.id, resourceIds, staff: [] });
  }
  return vendors;
}

export interface IdentityPlan {
  count: number;
  /** Accounts 0..staffCount-1 are staff, spread evenly over the vendors; the rest are customers. */
  staffCount: number;
  email: (role: Identity['role'], i: number) => string;
  /** One hash serves every account: argon2 is slow on purpose, and login is not what the benchmarks measure. */
  password: string;
  jwtSecret: string;
  tokenTtlSeconds: number;
  /** Accounts inserted at once, and the longest seeding may take. */
  concurrency: number;
  maxMs: number;
}

/**
 * Inserts the accounts, a session each, and signs an access token for each; adds the staff to their vendors.
 * Throws if any account could not be made.
 */
export async function seedIdentities(db: Queryable, vendors: BenchVendor[], plan: IdentityPlan): Promise<Population> {
  const passwordHash = await hashPassword(plan.password);
  const signer = new TokenSigner(plan.jwtSecret, plan.tokenTtlSeconds);
  const all: Identity[] = new Array(plan.count);
  const r = await runClosedLoop(
    async (i) => {
      const isStaff = i < plan.staffCount;
      const vendor = isStaff ? vendors[i % vendors.length]! : null;
      const role = isStaff ? 'staff' : 'customer';
      const user = await insertUser(db, {
        email: plan.email(role, i),
        name: `${isStaff ? 'Staff' : 'Customer'} ${i}`,
        role,
        vendorId: vendor?.id ?? null,
        isOwner: false,
        passwordHash,
      });
      const sessionId = await createSession(db, user.id);
      const { token } = await signer.sign({
        userId: user.id,
        role,
        vendorId: user.vendorId,
        isOwner: false,
        sessionId,
      });
      all[i] = { userId: user.id, role, vendorId: user.vendorId, sessionId, token };
      return 'ok';
    },
    { concurrency: plan.concurrency, count: plan.count, maxMs: plan.maxMs },
  );
  if (r.ok !== plan.count) throw new Error(`seeding failed: ${r.errorSamples.join('; ') || r.stoppedBy}`);
  const customers: Identity[] = [];
  for (let i = 0; i < plan.count; i++) {
    if (i < plan.staffCount) vendors[i % vendors.length]!.staff.push(all[i]!);
    else customers.push(all[i]!);
  }
  return { vendors, customers };
}
