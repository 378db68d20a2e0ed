/**
 * Push fan-out: booking changes committed on a real Slotcast node (PostgreSQL; the notifications worker on the durable
 * bus writes the outbox, the outbox sender pushes) reach a local Web Push service (VAPID checked, every payload
 * decrypted, in a child process of its own) on every device of the customer. Prints,
 * per phase, commit → push accepted p50/p99, sends per second, lost and duplicated (device, event) pairs; the
 * baseline phase has one device per customer, the measured one `--devices`. `npm run bench:push -- --help`.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import pLimit from 'p-limit';
import pino from 'pino';
import webpush from 'web-push';
import { createSlotcast } from '../packages/server/src/app.js';
import { loadConfig } from '../packages/server/src/config.js';
import { insertVendor } from '../packages/server/src/store/catalog-repo.js';
import { openPostgres } from '../packages/server/src/store/postgres.js';
import { upsertSubscription } from '../packages/server/src/store/push-repo.js';
import { insertUser } from '../packages/server/src/store/users-repo.js';
import { summarize } from './lib/latency.js';
import { writeResultFile } from './lib/result-file.js';
import { parseCommandLine, runMain } from './lib/run-main.js';
import { runMetadata } from './lib/run-metadata.js';
import { createScratchDatabase, redactUrl } from './lib/scratch-database.js';
import { insertCatalog } from './lib/seed-accounts.js';
import type { AcceptedPush } from './push/push-service-process.js';
import { Child } from './realtime/child-rpc.js';

const USAGE = `npm run bench:push -- [--customers 200] [--devices 10] [--rate 20] [--seconds 15] [--in-flight 64]
  Needs PostgreSQL at TEST_DATABASE_URL (a scratch database is created and dropped).
`;

interface Options {
  customers: number;
  devices: number;
  rate: number;
  seconds: number;
  /** PUSH_SEND_CONCURRENCY of the node. */
  inFlight: number;
}

function parse(argv: readonly string[]): Options | null {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      customers: { type: 'string', default: '200' },
      devices: { type: 'string', default: '10' },
      rate: { type: 'string', default: '20' },
      seconds: { type: 'string', default: '15' },
      'in-flight': { type: 'string', default: '64' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return null;
  const n = (k: 'customers' | 'devices' | 'rate' | 'seconds' | 'in-flight', max: number) => {
    const v = Number(values[k]);
    if (!Number.isInteger(v) || v < 1 || v > max) throw new Error(`--${k} must be an integer from 1 to ${max}`);
    return v;
  };
  return {
    customers: n('customers', 5_000),
    devices: n('devices', 50),
    rate: n('rate', 1_000),
    seconds: n('seconds', 600),
    inFlight: n('in-flight', 1024),
  };
}

interface PhaseResult {
  devicesPerCustomer: number;
  changes: number;
  expectedPushes: number;
  accepted: number;
  lost: number;
  duplicated: number;
  sendsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

async function main(): Promise<number> {
  const cl = parseCommandLine(parse, USAGE);
  if ('exitCode' in cl) return cl.exitCode;
  const o = cl.options;
  const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://slotcast:slotcast@127.0.0.1:5432/postgres';
  const scratch = await createScratchDatabase(adminUrl, 'slotcast_bench_push');
  const vapid = webpush.generateVAPIDKeys();
  const { child: service, info } = await Child.start<{ cert: string }>(
    'push service',
    new URL('./push/push-service-process.ts', import.meta.url),
    [vapid.publicKey],
    {},
    // `node --cpu-prof --import tsx bench/push.ts ...` profiles the push service too.
    process.execArgv.filter((a) => a.startsWith('--cpu-prof')),
  );
  const db = await openPostgres(scratch.url, { poolSize: 20 });
  const slotcast = await createSlotcast(
    loadConfig({
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      JWT_SECRET: randomBytes(32).toString('base64url'),
      DATA_DIR: os.tmpdir(),
      DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
      RATE_LIMITS_ENABLED: 'false',
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      PUSH_ENDPOINT_HOSTS: '127.0.0.1',
      PUSH_RETRY_DELAYS_MS: '200,1000',
      PUSH_SEND_CONCURRENCY: String(o.inFlight),
      // Each change is measured on its own push: the batching window would fold a customer's second change within
      // 60 s into a digest, by design (its latency is the window's, tested in outbox-delivery.test.ts).
      NOTIFY_BATCH_WINDOW_SECONDS: '0',
    }),
    pino({ level: 'warn' }),
    { db, pushCa: info.cert },
  );
  try {
    console.log(`push fan-out on ${redactUrl(scratch.url)}: ${JSON.stringify(o)}`);
    const baseline = await phase(slotcast, service, db, { ...o, devices: 1 }, 'base');
    const measured = await phase(slotcast, service, db, o, 'fan');
    const rows = [baseline, measured];
    console.table(
      rows.map((r) => ({
        'devices/customer': r.devicesPerCustomer,
        changes: r.changes,
        pushes: `${r.accepted}/${r.expectedPushes}`,
        lost: r.lost,
        duplicated: r.duplicated,
        'sends/s': Math.round(r.sendsPerSec),
        'p50 ms': Math.round(r.p50Ms),
        'p99 ms': Math.round(r.p99Ms),
        'max ms': Math.round(r.maxMs),
      })),
    );
    console.log(
      `ratio fan-out/baseline: p99 ×${(measured.p99Ms / baseline.p99Ms).toFixed(2)}, sends/s ×${(measured.sendsPerSec / baseline.sendsPerSec).toFixed(2)}`,
    );
    const file = await writeResultFile('push', new Date().toISOString(), { meta: runMetadata(), options: o, rows });
    console.log(`written to ${file}`);
    return measured.lost === 0 && measured.duplicated === 0 ? 0 : 1;
  } finally {
    await slotcast.close();
    await db.close();
    await service.call('close').catch(() => {});
    await service.kill();
    await scratch.drop();
  }
}

/** One vendor, `customers` each with `devices` browsers and one requested booking; staff confirm them at `rate`. */
async function phase(
  slotcast: Awaited<ReturnType<typeof createSlotcast>>,
  service: Child,
  db: Awaited<ReturnType<typeof openPostgres>>,
  o: Options,
  tag: string,
): Promise<PhaseResult> {
  const changes = o.rate * o.seconds;
  const vendor = await insertVendor(db, {
    name: `Bench ${tag}`,
    slug: `bench-${tag}-${randomBytes(3).toString('hex')}`,
    autoConfirm: false,
    cancellationCutoffMinutes: 0,
    requestTtlMinutes: 7 * 24 * 60,
  });
  const catalog = await insertCatalog(db, vendor.id, {
    resources: Math.ceil(changes / 400),
    slotIntervalMinutes: 30,
    serviceMinutes: 30,
    priceMinor: 1000,
  });
  const staff = await insertUser(db, {
    email: `staff@${vendor.slug}.test`,
    name: 'Staff',
    role: 'staff',
    vendorId: vendor.id,
    isOwner: true,
    passwordHash: 'x',
  });
  const customers: Awaited<ReturnType<typeof insertUser>>[] = [];
  for (let c = 0; c < o.customers; c++) {
    const u = await insertUser(db, {
      email: `c${c}@${vendor.slug}.test`,
      name: `Customer ${c}`,
      role: 'customer',
      vendorId: null,
      isOwner: false,
      passwordHash: 'x',
    });
    const devices = await service.call<{ name: string; endpoint: string; keys: { p256dh: string; auth: string } }[]>(
      'devices',
      Array.from({ length: o.devices }, (_, d) => `${tag}-${c}-${d}`),
    );
    for (const device of devices) {
      await upsertSubscription(db, {
        userId: u.id,
        provider: 'webpush',
        endpoint: device.endpoint,
        p256dh: device.keys.p256dh,
        auth: device.keys.auth,
        userAgent: 'bench',
      });
    }
    customers.push(u);
  }
  const start = new Date(Date.now() + 24 * 3_600_000);
  start.setUTCMinutes(0, 0, 0);
  // Set-up, not measured: a few creates at once (each is its own resource and slot).
  const setup = pLimit(8);
  const bookings = await Promise.all(
    Array.from({ length: changes }, (_, i) =>
      setup(async () => {
        const customer = customers[i % customers.length]!;
        const r = i % catalog.resourceIds.length;
        const slot = Math.floor(i / catalog.resourceIds.length);
        const res = await slotcast.bookings.create(
          { role: 'customer', userId: customer.id, vendorId: null, isOwner: false, sessionId: 'bench' },
          {
            resourceId: catalog.resourceIds[r]!,
            serviceId: catalog.service.id,
            startAt: new Date(start.getTime() + slot * 30 * 60_000).toISOString(),
          },
          null,
        );
        return res.body;
      }),
    ),
  );
  const committed = new Map<string, number>();
  const received: AcceptedPush[] = [];
  const fetchReceived = async () => {
    received.push(...(await service.call<AcceptedPush[]>('received', received.length)));
  };
  await fetchReceived();
  const first = received.length;
  const began = Date.now();
  const actor = { role: 'staff' as const, userId: staff.id, vendorId: vendor.id };
  // Open loop: a change every 1/rate s, whatever the senders' pace.
  await Promise.all(
    bookings.map(async (b, i) => {
      const due = began + (i * 1000) / o.rate;
      await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
      await slotcast.bookings.transition(actor, b.id, 'confirm', { version: b.version }, null);
      committed.set(b.id, Date.now());
    }),
  );
  const expected = changes * o.devices;
  const deadline = Date.now() + 60_000;
  const mine = () => received.slice(first).filter((p) => p.device.startsWith(`${tag}-`));
  await fetchReceived();
  while (mine().length < expected && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    await fetchReceived();
  }
  const got = mine();
  const seen = new Set<string>();
  let duplicated = 0;
  const latencies: number[] = [];
  for (const p of got) {
    const key = `${p.device}:${p.eventId}`;
    if (seen.has(key)) duplicated++;
    seen.add(key);
    const at = committed.get(p.bookingId ?? '');
    if (at !== undefined) latencies.push(Math.max(0, p.at - at));
  }
  const lastAt = Math.max(...got.map((p) => p.at));
  const s = summarize(latencies, lastAt - began);
  return {
    devicesPerCustomer: o.devices,
    changes,
    expectedPushes: expected,
    accepted: got.length,
    lost: expected - seen.size,
    duplicated,
    sendsPerSec: (got.length * 1000) / (lastAt - began),
    p50Ms: s.p50Ms,
    p99Ms: s.p99Ms,
    maxMs: s.maxMs,
  };
}

runMain(main);
