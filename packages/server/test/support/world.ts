import type { Booking, Problem, Resource, Service, TokenPair, User, Vendor } from '@slotcast/protocol';
import { hashPassword } from '../../src/auth/passwords.js';
import { insertResource, insertService, insertVendor } from '../../src/store/catalog-repo.js';
import { insertUser } from '../../src/store/users-repo.js';
import type { TestServer } from './server.js';

export const PASSWORD = 'correct-horse-battery';

export interface Party {
  user: User;
  token: string;
  refreshToken: string;
}

export interface VendorWorld {
  vendor: Vendor;
  resource: Resource;
  resource2: Resource;
  service: Service;
  owner: Party;
  staff: Party;
}

export interface World {
  admin: Party;
  a: VendorWorld;
  b: VendorWorld;
  alice: Party;
  bob: Party;
}

/** Two vendors (open around the clock in UTC, 30-minute grid, 60-minute service), their staff, two customers, an admin. */
export async function buildWorld(server: TestServer, opts: { autoConfirm?: boolean } = {}): Promise<World> {
  const db = server.slotcast.db;
  const passwordHash = await hashPassword(PASSWORD);
  const allDay = [{ start: '00:00', end: '24:00' }];
  const hours = { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay };
  const makeVendor = async (slug: string) => {
    const vendor = await insertVendor(db, {
      name: `Vendor ${slug}`,
      slug,
      autoConfirm: opts.autoConfirm ?? false,
      cancellationCutoffMinutes: 60,
      requestTtlMinutes: 60,
    });
    const resource = await insertResource(db, {
      vendorId: vendor.id,
      name: 'Room 1',
      timezone: 'UTC',
      slotIntervalMinutes: 30,
      weeklyHours: hours,
      exceptions: [],
    });
    const resource2 = await insertResource(db, {
      vendorId: vendor.id,
      name: 'Room 2',
      timezone: 'UTC',
      slotIntervalMinutes: 30,
      weeklyHours: hours,
      exceptions: [],
    });
    const service = await insertService(db, {
      vendorId: vendor.id,
      name: 'Session',
      durationMinutes: 60,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      priceMinor: 5000,
      currency: 'EUR',
      resourceIds: [resource.id, resource2.id],
    });
    await insertUser(db, {
      email: `owner@${slug}.test`,
      name: 'Owner',
      role: 'staff',
      vendorId: vendor.id,
      isOwner: true,
      passwordHash,
    });
    await insertUser(db, {
      email: `staff@${slug}.test`,
      name: 'Staff',
      role: 'staff',
      vendorId: vendor.id,
      isOwner: false,
      passwordHash,
    });
    return {
      vendor,
      resource,
      resource2,
      service,
      owner: await login(server, `owner@${slug}.test`),
      staff: await login(server, `staff@${slug}.test`),
    };
  };
  await insertUser(db, {
    email: 'admin@test.test',
    name: 'Admin',
    role: 'admin',
    vendorId: null,
    isOwner: false,
    passwordHash,
  });
  await insertUser(db, {
    email: 'alice@test.test',
    name: 'Alice',
    role: 'customer',
    vendorId: null,
    isOwner: false,
    passwordHash,
  });
  await insertUser(db, {
    email: 'bob@test.test',
    name: 'Bob',
    role: 'customer',
    vendorId: null,
    isOwner: false,
    passwordHash,
  });
  return {
    admin: await login(server, 'admin@test.test'),
    a: await makeVendor('vendor-a'),
    b: await makeVendor('vendor-b'),
    alice: await login(server, 'alice@test.test'),
    bob: await login(server, 'bob@test.test'),
  };
}

export async function login(server: TestServer, email: string): Promise<Party> {
  const res = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
  const pair = (await res.json()) as TokenPair;
  return { user: pair.user, token: pair.accessToken, refreshToken: pair.refreshToken };
}

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A thin fetch wrapper for tests: JSON in, JSON (or problem+json) out. */
export async function api<T = unknown>(
  server: TestServer,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(`${server.url}/api/v1${path}`, { method, headers, body });
  const text = await res.text();
  // JSON and problem+json parsed; a page (the unsubscribe link's) stays text.
  const json = /json/.test(res.headers.get('content-type') ?? 'json');
  return { status: res.status, body: (text ? (json ? JSON.parse(text) : text) : null) as T, headers: res.headers };
}

/** An instant on the 30-minute grid, `days` days ahead at `hour`:`minute` UTC. */
export function slotAt(days: number, hour: number, minute = 0): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  d.setUTCHours(hour, minute, 0, 0);
  return d.toISOString();
}

export async function book(
  server: TestServer,
  party: Party,
  v: VendorWorld,
  startAt: string,
  extra: Record<string, unknown> = {},
) {
  return api<Booking | Problem>(server, 'POST', '/bookings', {
    token: party.token,
    body: { resourceId: v.resource.id, serviceId: v.service.id, startAt, ...extra },
  });
}
