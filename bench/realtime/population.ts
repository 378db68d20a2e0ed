import type { WeeklyHours } from '@slotcast/protocol';
import { hashPassword } from '../../packages/server/src/auth/passwords.js';
import { TokenSigner } from '../../packages/server/src/auth/tokens.js';
import { insertResource, insertService, insertVendor } from '../../packages/server/src/store/catalog-repo.js';
import type { Queryable } from '../../packages/server/src/store/db.js';
import { createSession } from '../../packages/server/src/store/sessions-repo.js';
import { insertUser } from '../../packages/server/src/store/users-repo.js';
import { runClosedLoop } from '../lib/closed-loop.js';

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
const AROUND_THE_CLOCK: WeeklyHours = {
  mon: ALL_DAY,
  tue: ALL_DAY,
  wed: ALL_DAY,
  thu: ALL_DAY,
  fri: ALL_DAY,
  sat: ALL_DAY,
  sun: ALL_DAY,
};
const RESOURCES_PER_VENDOR = 2;
/** Long enough that no token expires, and no refresh is asked for, during a run. */
export const TOKEN_TTL_SECONDS = 3600;

async function inParallel(count: number, op: (i: number) => Promise<void>) {
  const r = await runClosedLoop(
    async (i) => {
      await op(i);
      return 'ok';
    },
    { concurrency: 8, count, maxMs: 300_000 },
  );
  if (r.errors || r.ok !== count) throw new Error(`seeding failed: ${r.errorSamples.join('; ') || r.stoppedBy}`);
}

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
  const vendors: BenchVendor[] = [];
  for (let v = 0; v < opts.vendors; v++) {
    const vendor = await insertVendor(db, {
      name: `Bench Vendor ${v + 1}`,
      slug: `bench-vendor-${v + 1}`,
      autoConfirm: false,
      cancellationCutoffMinutes: 0,
      requestTtlMinutes: 24 * 60,
    });
    const resourceIds: string[] = [];
    for (let r = 0; r < RESOURCES_PER_VENDOR; r++) {
      const resource = await insertResource(db, {
        vendorId: vendor.id,
        name: `Room ${r + 1}`,
        timezone: 'UTC',
        slotIntervalMinutes: 30,
        weeklyHours: AROUND_THE_CLOCK,
        exceptions: [],
      });
      resourceIds.push(resource.id);
    }
    const service = await insertService(db, {
      vendorId: vendor.id,
      name: 'Session',
      durationMinutes: 60,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      priceMinor: 5000,
      currency: 'EUR',
      resourceIds,
    });
    vendors.push({ id: vendor.id, serviceId: service.id, resourceIds, staff: [] });
  }

  const passwordHash = await hashPassword('bench-password-not-secret');
  const signer = new TokenSigner(opts.jwtSecret, TOKEN_TTL_SECONDS);
  const staffCount = Math.round(opts.clients / 10);
  const customers: Identity[] = [];
  const all: Identity[] = new Array(opts.clients);
  await inParallel(opts.clients, async (i) => {
    const isStaff = i < staffCount;
    const vendor = isStaff ? vendors[i % vendors.length]! : null;
    const user = await insertUser(db, {
      email: `${isStaff ? 'staff' : 'customer'}-${i}@bench.test`,
      name: `${isStaff ? 'Staff' : 'Customer'} ${i}`,
      role: isStaff ? 'staff' : 'customer',
      vendorId: vendor?.id ?? null,
      isOwner: false,
      passwordHash,
    });
    const sessionId = await createSession(db, user.id);
    const { token } = await signer.sign({
      userId: user.id,
      role: user.role,
      vendorId: user.vendorId,
      isOwner: false,
      sessionId,
    });
    all[i] = { userId: user.id, role: isStaff ? 'staff' : 'customer', vendorId: user.vendorId, sessionId, token };
  });
  for (let i = 0; i < opts.clients; i++) {
    const id = all[i]!;
    if (i < staffCount) vendors[i % vendors.length]!.staff.push(id);
    else customers.push(id);
  }
  return { vendors, customers };
}

/** Every identity, interleaved so each client process gets the same mix of customers and staff. */
export function allIdentities(p: Population): Identity[] {
  return [...p.vendors.flatMap((v) => v.staff), ...p.customers];
}
