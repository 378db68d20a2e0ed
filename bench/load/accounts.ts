import type { WeeklyHours } from '@slotcast/protocol';
import { hashPassword } from '../../packages/server/src/auth/passwords.js';
import { TokenSigner } from '../../packages/server/src/auth/tokens.js';
import { insertResource, insertService, insertVendor } from '../../packages/server/src/store/catalog-repo.js';
import type { Queryable } from '../../packages/server/src/store/db.js';
import { createSession } from '../../packages/server/src/store/sessions-repo.js';
import { insertUser } from '../../packages/server/src/store/users-repo.js';
import { runClosedLoop } from '../lib/closed-loop.js';
import type { BenchVendor, Identity, Population } from '../realtime/population.js';

export const RESOURCES_PER_VENDOR = 2;
export const SERVICE_MINUTES = 60;
/** Long enough that no token expires, and no refresh is asked for, during a run. */
export const TOKEN_TTL_SECONDS = 4 * 3600;

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
  const vendors: BenchVendor[] = [];
  for (let v = 0; v < plan.vendors; v++) {
    const vendor = await insertVendor(db, {
      name: `Load ${plan.tag} Vendor ${v + 1}`,
      slug: `load-${plan.tag}-vendor-${v + 1}`,
      autoConfirm: false,
      cancellationCutoffMinutes: 0,
      requestTtlMinutes: 7 * 24 * 60,
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
      durationMinutes: SERVICE_MINUTES,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      priceMinor: 5000,
      currency: 'EUR',
      resourceIds,
    });
    vendors.push({ id: vendor.id, serviceId: service.id, resourceIds, staff: [] });
  }

  const passwordHash = await hashPassword('load-test-password-not-secret');
  const signer = new TokenSigner(plan.jwtSecret, TOKEN_TTL_SECONDS);
  // At least one staff member per vendor, so every vendor can confirm.
  const staffCount = Math.min(plan.accounts, Math.max(plan.vendors, Math.round(plan.accounts * plan.staffShare)));
  const all: Identity[] = new Array(plan.accounts);
  const r = await runClosedLoop(
    async (i) => {
      const isStaff = i < staffCount;
      const vendor = isStaff ? vendors[i % vendors.length]! : null;
      const role = isStaff ? 'staff' : 'customer';
      const user = await insertUser(db, {
        email: `${role}-${i}@${plan.tag}.load.test`,
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
    { concurrency: 16, count: plan.accounts, maxMs: 600_000 },
  );
  if (r.ok !== plan.accounts) throw new Error(`seeding failed: ${r.errorSamples.join('; ') || r.stoppedBy}`);
  const customers: Identity[] = [];
  for (let i = 0; i < plan.accounts; i++) {
    if (i < staffCount) vendors[i % vendors.length]!.staff.push(all[i]!);
    else customers.push(all[i]!);
  }
  return { vendors, customers };
}
