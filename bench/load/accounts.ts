import type { Queryable } from '../../packages/server/src/store/db.js';
import { type Population, seedIdentities, seedVendors } from '../lib/seed-accounts.js';

export const RESOURCES_PER_VENDOR = 2;
export const SERVICE_MINUTES = 60;
/** Long enough that no token expires, and no refresh is asked for, during a run. */
export const TOKEN_TTL_SECONDS = 4 * 3600;

export interface AccountPlan {
  accounts: number;
  vendors: number;
  staffShare: number;
  jwtSecret: string;
  /** Makes names unique per run, so a load test can insert into a database that already has others. */
  tag: string;
}

/**
 * Inserts vendors, staff and customers through the server's own repositories, a session each, and signs an access
 * token for each with the server's TokenSigner — no login, no argon2 per account: one hash serves everyone, as sign-in
 * is not what this measures. Vendors do not auto-confirm and let customers cancel up to the start; resources are open
 * around the clock in UTC; the one service takes an hour. Returns the same shape bench/realtime seeds, so its helpers
 * (planned events, appendPlanned) work on it.
 */
export async function seedAccounts(db: Queryable, plan: AccountPlan): Promise<Population> {
  const vendors = await seedVendors(db, {
    count: plan.vendors,
    name: (v) => `Load ${plan.tag} Vendor ${v + 1}`,
    slug: (v) => `load-${plan.tag}-vendor-${v + 1}`,
    requestTtlMinutes: 7 * 24 * 60,
    resourcesPerVendor: RESOURCES_PER_VENDOR,
    serviceMinutes: SERVICE_MINUTES,
  });
  return seedIdentities(db, vendors, {
    count: plan.accounts,
    // At least one staff member per vendor, so every vendor can confirm.
    staffCount: Math.min(plan.accounts, Math.max(plan.vendors, Math.round(plan.accounts * plan.staffShare))),
    email: (role, i) => `${role}-${i}@${plan.tag}.load.test`,
    password: 'load-test-password-not-secret',
    jwtSecret: plan.jwtSecret,
    tokenTtlSeconds: TOKEN_TTL_SECONDS,
    concurrency: 16,
    maxMs: 600_000,
  });
}
