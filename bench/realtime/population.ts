import type { Queryable } from '../../packages/server/src/store/db.js';
import { type Identity, type Population, seedIdentities, seedVendors } from '../lib/seed-accounts.js';

export type { BenchVendor, Identity, Population } from '../lib/seed-accounts.js';

const RESOURCES_PER_VENDOR = 2;
/** Long enough that no token expires, and no refresh is asked for, during a run. */
export const TOKEN_TTL_SECONDS = 3600;

/**
 * Seeds through the server's own repositories: vendors that do not auto-confirm and let customers cancel up to the
 * start, 90% customers and 10% staff spread evenly over the vendors, one session each, and an access token for it
 * signed with the server's key. One password hash serves every account: argon2 is slow on purpose, and login is not
 * what this benchmark measures.
 */
export async function seedPopulation(
  db: Queryable,
  opts: { clients: number; vendors: number; jwtSecret: string },
): Promise<Population> {
  const vendors = await seedVendors(db, {
    count: opts.vendors,
    name: (v) => `Bench Vendor ${v + 1}`,
    slug: (v) => `bench-vendor-${v + 1}`,
    requestTtlMinutes: 24 * 60,
    resourcesPerVendor: RESOURCES_PER_VENDOR,
    serviceMinutes: 60,
  });
  return seedIdentities(db, vendors, {
    count: opts.clients,
    staffCount: Math.round(opts.clients / 10),
    email: (role, i) => `${role}-${i}@bench.test`,
    password: 'bench-password-not-secret',
    jwtSecret: opts.jwtSecret,
    tokenTtlSeconds: TOKEN_TTL_SECONDS,
    concurrency: 8,
    maxMs: 300_000,
  });
}

/** Every identity, interleaved so each client process gets the same mix of customers and staff. */
export function allIdentities(p: Population): Identity[] {
  return [...p.vendors.flatMap((v) => v.staff), ...p.customers];
}
