import { hashPassword } from '../../packages/server/src/auth/passwords.js';
import { insertVendor } from '../../packages/server/src/store/catalog-repo.js';
import type { Queryable } from '../../packages/server/src/store/db.js';
import { insertUser } from '../../packages/server/src/store/users-repo.js';
import { insertCatalog } from '../lib/seed-accounts.js';
import { SLOT_MINUTES } from './slot-plan.js';

export const BENCH_PASSWORD = 'bench-password-not-secret';

export interface Account {
  id: string;
  email: string;
}

/** What the benchmark books on: one vendor, its resources, one service offered on all of them, and who books. */
export interface BenchWorld {
  vendorId: string;
  resourceIds: string[];
  service: { id: string; durationMinutes: number; priceMinor: number; currency: string };
  customers: Account[];
  staff: Account;
}

/**
 * Seeds through the server's own repositories, so the rows are exactly what the API would have made. The vendor does
 * not auto-confirm: every booking starts as requested, and staff confirming it is the transition measured.
 */
export async function seedWorld(db: Queryable, opts: { resources: number; customers: number }): Promise<BenchWorld> {
  const vendor = await insertVendor(db, {
    name: 'Bench Vendor',
    slug: 'bench-vendor',
    autoConfirm: false,
    cancellationCutoffMinutes: 0,
    requestTtlMinutes: 24 * 60,
  });
  const { resourceIds, service } = await insertCatalog(db, vendor.id, {
    resources: opts.resources,
    slotIntervalMinutes: SLOT_MINUTES,
    serviceMinutes: SLOT_MINUTES,
    priceMinor: 4500,
  });
  // One hash for every account: argon2 is deliberately slow and is not what this benchmark measures.
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const customers: Account[] = [];
  for (let i = 0; i < opts.customers; i++) {
    const email = `customer-${i + 1}@bench.test`;
    const u = await insertUser(db, {
      email,
      name: `Customer ${i + 1}`,
      role: 'customer',
      vendorId: null,
      isOwner: false,
      passwordHash,
    });
    customers.push({ id: u.id, email });
  }
  const staffEmail = 'staff@bench.test';
  const staff = await insertUser(db, {
    email: staffEmail,
    name: 'Staff',
    role: 'staff',
    vendorId: vendor.id,
    isOwner: false,
    passwordHash,
  });
  return {
    vendorId: vendor.id,
    resourceIds,
    service: {
      id: service.id,
      durationMinutes: service.durationMinutes,
      priceMinor: service.priceMinor,
      currency: service.currency,
    },
    customers,
    staff: { id: staff.id, email: staffEmail },
  };
}
