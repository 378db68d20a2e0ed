// `npm run bench:offline`: the offline store in Chromium against a real Slotcast server (demo data) on PostgreSQL, as
// deployed beyond one node (a scratch database beside TEST_DATABASE_URL, dropped at the end); `-- --pglite` runs it
// on the embedded PGlite instead (one connection: every write waits for the one before). Without TEST_DATABASE_URL it
// fails in CI, and elsewhere falls back to PGlite with a warning; the summary names the database either way.
// `-- --trace <file>` also writes a Chromium performance trace of the profiled reload (chrome://tracing, Perfetto).
// 1. Offline reload to the staff bookings painted from IndexedDB, with 1,000 bookings cached, at 4× CPU throttling.
// 2. 100 actions taken offline (confirms), flushed after reconnect: time until all are applied, and the rate.
// 3. IndexedDB usage per 1,000 cached bookings (Chromium's navigator.storage.estimate().usageDetails.indexedDB).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSlotcastClient, type SlotcastClient } from '@slotcast/client';
import type { Booking } from '@slotcast/protocol';
import { createScratchDatabase, redactUrl } from '../../../bench/lib/scratch-database.js';
import { CHROMIUM_PATH, chromiumAvailable, launchChromium } from '../test/e2e/support/browser.js';
import { buildWebApp, freePort, SlotcastProcess } from '../test/e2e/support/slotcast-process.js';

const PASSWORD = 'slotcast-demo';
const BOOKINGS = Number(process.env.BENCH_BOOKINGS ?? 1_000);
const ACTIONS = Number(process.env.BENCH_ACTIONS ?? 100);
const RELOADS = Number(process.env.BENCH_RELOADS ?? 5);
const HOURS = { start: '06:00', end: '22:00' };

/** Enough chairs open 06:00–22:00 every day to hold the bookings within the next 13 days, then the bookings. */
async function seed(owner: SlotcastClient, customer: SlotcastClient): Promise<Booking[]> {
  const vendorId = owner.api.tokens.user!.vendorId!;
  const week = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [HOURS]]));
  const chairs = Math.ceil(BOOKINGS / (13 * 15));
  const resources = [];
  for (let i = 0; i < chairs; i++) {
    resources.push(
      await owner.api.vendors.createResource(vendorId, {
        name: `Bench chair ${i + 1}`,
        timezone: 'Europe/Berlin',
        slotIntervalMinutes: 60,
        weeklyHours: week,
      }),
    );
  }
  // A service of its own on the bench chairs: one hour each, no buffers, so every hour is a slot.
  const service = await owner.api.vendors.createService(vendorId, {
    name: 'Bench cut',
    durationMinutes: 60,
    priceMinor: 1000,
    currency: 'EUR',
    resourceIds: resources.map((r) => r.id),
  });
  const out: Booking[] = [];
  const from = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const to = new Date(Date.now() + 13 * 86_400_000).toISOString().slice(0, 10);
  for (const r of resources) {
    const { slots } = await customer.api.resources.availability(r.id, { serviceId: service.id, from, to });
    for (const slot of slots) {
      if (out.length >= BOOKINGS) return out;
      out.push(await customer.api.bookings.create({ resourceId: r.id, serviceId: service.id, startAt: slot.startAt }));
    }
  }
  return out;
}

type DatabaseChoice = { kind: 'postgres'; adminUrl: string } | { kind: 'pglite'; why: string };

/**
 * PostgreSQL at TEST_DATABASE_URL unless `--pglite` is given. Without the variable, CI fails (its figures must be
 * PostgreSQL's), and a developer's machine falls back to PGlite with a warning that cannot be missed: the flush's
 * figure on PGlite is 2–3× PostgreSQL's and must not be compared with it.
 */
function chooseDatabase(): DatabaseChoice {
  if (process.argv.includes('--pglite')) return { kind: 'pglite', why: '--pglite' };
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) return { kind: 'postgres', adminUrl };
  const msg = 'TEST_DATABASE_URL is not set: bench:offline measures on PostgreSQL (export it, as for the tests)';
  if (process.env.CI) {
    console.error(`${msg}; or pass -- --pglite for the embedded database.`);
    process.exit(1);
  }
  console.warn(
    `\n*** ${msg}.\n*** Falling back to the embedded PGlite: its figures are not PostgreSQL's. (-- --pglite silences this.)\n`,
  );
  return { kind: 'pglite', why: 'TEST_DATABASE_URL not set' };
}

/** The main thread's time by function (self time), largest first: where a profiled stretch went. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples?: number[];
  startTime: number;
  endTime: number;
}

function selfTimes(profile: CpuProfile, n = 15): [string, number][] {
  const selfMs = new Map<string, number>();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const counts = new Map<number, number>();
  for (const id of profile.samples ?? []) counts.set(id, (counts.get(id) ?? 0) + 1);
  const perSample = (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.samples?.length ?? 1);
  for (const [id, count] of counts) {
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    selfMs.set(key, (selfMs.get(key) ?? 0) + count * perSample);
  }
  return [...selfMs].sort((a, b) => b[1] - a[1]).slice(0, n);
}

/**
 * In the page, before its scripts: when the first booking row enters the DOM, and when the frame showing it has been
 * produced (the next animation frame, then a task after it). Read after each reload as `__rowPainted`.
 */
function watchFirstRow(): void {
  const w = window as unknown as { __rowPainted?: number };
  const observer = new MutationObserver(() => {
    if (!document.querySelector('tr[data-booking-id]')) return;
    observer.disconnect();
    performance.mark('slotcast:row-in-dom');
    requestAnimationFrame(() =>
      setTimeout(() => {
        w.__rowPainted = performance.now();
      }, 0),
    );
  });
  observer.observe(document, { childList: true, subtree: true });
}

async function main() {
  if (!chromiumAvailable()) {
    console.error(`Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`);
    process.exit(1);
  }
  // Seeding makes a thousand bookings for one customer in a minute: far above the per-user mutation limit, which
  // guards against abuse, not against a benchmark. The limit is lifted for this server only.
  process.env.RATE_LIMITS_ENABLED = 'false';
  const database = chooseDatabase();
  const tmp = mkdtempSync(path.join(tmpdir(), 'slotcast-bench-offline-'));
  const adminUrl = database.kind === 'postgres' ? database.adminUrl : undefined;
  const scratch = adminUrl ? await createScratchDatabase(adminUrl, 'slotcast_bench_offline') : null;
  const databaseLabel = scratch
    ? `PostgreSQL (${scratch.name} on ${redactUrl(adminUrl!)})`
    : `embedded PGlite${database.kind === 'pglite' ? ` (${database.why})` : ''}`;
  console.log(`server database: ${databaseLabel}`);
  const server = new SlotcastProcess({
    port: await freePort(),
    dataDir: path.join(tmp, 'data'),
    webDist: path.join(tmp, 'dist'),
    ...(scratch ? { databaseUrl: scratch.url } : {}),
  });
  const browser = await (async () => {
    buildWebApp(path.join(tmp, 'dist'));
    await server.start();
    return launchChromium();
  })();
  try {
    const owner = createSlotcastClient({ baseUrl: server.url });
    await owner.api.auth.login({ email: 'owner@studio-mira.test', password: PASSWORD });
    const customer = createSlotcastClient({ baseUrl: server.url });
    await customer.api.auth.login({ email: 'alice@example.test', password: PASSWORD });
    const t0 = performance.now();
    const bookings = await seed(owner, customer);
    console.log(`seeded ${bookings.length} bookings in ${Math.round(performance.now() - t0)} ms`);

    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, timezoneId: 'Europe/Berlin' });
    await context.addInitScript(watchFirstRow);
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.getByLabel('Email').fill('owner@studio-mira.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Bookings' }).click();
    await page.locator('tr[data-booking-id]').first().waitFor();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="sync-status"]')?.getAttribute('data-state') === 'synced',
    );
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    // Let the snapshot's write to IndexedDB settle: the cache holds every booking.
    await page.waitForFunction(
      async (n) => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const names = indexedDB.open(
            `slotcast-offline:${JSON.parse(localStorage.getItem('slotcast:last-user') ?? '{}').id}`,
          );
          names.onsuccess = () => resolve(names.result);
          names.onerror = () => reject(names.error);
        });
        const count = await new Promise<number>((resolve) => {
          const req = db.transaction('bookings').objectStore('bookings').count();
          req.onsuccess = () => resolve(req.result);
        });
        db.close();
        return count >= n;
      },
      bookings.length,
      { polling: 500, timeout: 120_000 },
    );
    const usage = await page.evaluate(async () => {
      const e = (await navigator.storage.estimate()) as StorageEstimate & { usageDetails?: { indexedDB?: number } };
      return e.usageDetails?.indexedDB ?? null;
    });

    // 1. Offline reload at 4× CPU throttle: navigation start → the first cached booking row painted.
    await context.setOffline(true);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    // Two clocks, both from navigation start: `painted`, taken in the page by watchFirstRow (the frame after the row
    // entered the DOM); `seen`, the frame after Playwright's polling saw the row (the measure before 2026-11-29:
    // it adds Playwright's polling and a round trip at 4×).
    const reloads: number[] = [];
    const seen: number[] = [];
    const phases: Record<string, number>[] = [];
    const paintedAt = () =>
      page.waitForFunction(() => (window as unknown as { __rowPainted?: number }).__rowPainted, null, {
        polling: 50,
        timeout: 30_000,
      });
    for (let i = 0; i < RELOADS; i++) {
      await page.reload({ waitUntil: 'commit' });
      await page.locator('tr[data-booking-id]').first().waitFor({ timeout: 30_000 });
      seen.push(
        await page.evaluate(
          () =>
            new Promise<number>((resolve) =>
              requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0)),
            ),
        ),
      );
      reloads.push(Number(await (await paintedAt()).jsonValue()));
      // Where the time went: the document, the app's own marks (slotcast:*), first paint.
      phases.push(
        await page.evaluate(() => {
          const out: Record<string, number> = {};
          const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
          if (nav) out.responseEnd = nav.responseEnd;
          for (const e of performance.getEntriesByType('paint')) out[e.name] = e.startTime;
          for (const e of performance.getEntriesByType('mark'))
            if (e.name.startsWith('slotcast:')) out[e.name] = e.startTime;
          return out;
        }),
      );
    }
    // One more reload under the sampling profiler: where the main thread's time goes, by function (self time).
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
    await cdp.send('Profiler.start');
    const tracePath = process.argv[process.argv.indexOf('--trace') + 1];
    const tracing = process.argv.includes('--trace') && tracePath;
    if (tracing) await browser.startTracing(page, { path: tracePath });
    await page.reload({ waitUntil: 'commit' });
    await page.locator('tr[data-booking-id]').first().waitFor({ timeout: 30_000 });
    await paintedAt();
    if (tracing) await browser.stopTracing();
    const { profile } = await cdp.send('Profiler.stop');
    const top = selfTimes(profile);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    const reloadsOrder = [...reloads];
    reloads.sort((a, b) => a - b);
    seen.sort((a, b) => a - b);

    // 2. 100 confirms taken offline: written to the outbox as the queue writes them (ActionQueue.enqueue), in one
    // transaction, while the page is offline; then the network comes back and the page's one flushing tab sends them.
    const targets = bookings.slice(0, ACTIONS);
    await page.evaluate(
      (items) =>
        new Promise<void>((resolve, reject) => {
          const userId = JSON.parse(localStorage.getItem('slotcast:last-user') ?? '{}').id;
          const open = indexedDB.open(`slotcast-offline:${userId}`);
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction('outbox', 'readwrite');
            const store = tx.objectStore('outbox');
            for (const b of items) {
              store.add({
                kind: 'confirm',
                payload: { kind: 'confirm' },
                bookingId: b.id,
                expected: b,
                idempotencyKey: crypto.randomUUID(),
                state: 'pending',
                attempts: 0,
                createdAt: Date.now(),
              });
            }
            tx.oncomplete = () => {
              open.result.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
      targets,
    );
    // One connection, opened before the flush and kept: the poll below costs a count, not an open, every 25 ms.
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const userId = JSON.parse(localStorage.getItem('slotcast:last-user') ?? '{}').id;
          const open = indexedDB.open(`slotcast-offline:${userId}`);
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            (window as unknown as { __benchDb: IDBDatabase }).__benchDb = open.result;
            resolve();
          };
        }),
    );
    const outboxSize = () =>
      page.evaluate(
        () =>
          new Promise<number>((resolve, reject) => {
            const db = (window as unknown as { __benchDb: IDBDatabase }).__benchDb;
            const req = db.transaction('outbox').objectStore('outbox').count();
            req.onsuccess = () => resolve(req.result);
            req.onerror = () => reject(req.error);
          }),
      );
    // `-- --profile-flush`: the flush under the sampling profiler (its figure is then not one to record).
    const profileFlush = process.argv.includes('--profile-flush');
    if (profileFlush) await cdp.send('Profiler.start');
    const flushStart = performance.now();
    await context.setOffline(false);
    while ((await outboxSize()) > 0) await new Promise((r) => setTimeout(r, 25));
    const flushMs = performance.now() - flushStart;
    const flushTop = profileFlush ? selfTimes((await cdp.send('Profiler.stop')).profile, 25) : [];
    let applied = 0;
    for (const b of targets) if ((await owner.api.bookings.get(b.id)).status === 'confirmed') applied++;

    const median = reloads[Math.floor(reloads.length / 2)]!;
    console.log(`\nbench:offline (database: ${databaseLabel})`);
    console.log(
      `  offline reload → cached bookings painted (${bookings.length} cached, 4× CPU): median ${Math.round(median)} ms, max ${Math.round(reloads.at(-1)!)} ms over ${RELOADS}`,
    );
    console.log(
      `    as seen by Playwright (the measure before 2026-11-29): median ${Math.round(seen[Math.floor(seen.length / 2)]!)} ms, max ${Math.round(seen.at(-1)!)} ms`,
    );
    if (tracing) console.log(`    trace of the profiled reload: ${tracePath}`);
    const medianPhases = phases[reloadsOrder.indexOf(median)] ?? {};
    console.log(
      `    phases of the median reload (ms from navigation start): ${Object.entries(medianPhases)
        .sort((a, b) => a[1] - b[1])
        .map(([k, v]) => `${k} ${Math.round(v)}`)
        .join(', ')}`,
    );
    console.log(
      `    profiled reload, self time by function: ${top.map(([k, v]) => `${k} ${Math.round(v)} ms`).join('; ')}`,
    );
    console.log(
      `  ${ACTIONS} queued confirms flushed after reconnect: ${Math.round(flushMs)} ms (${((ACTIONS / flushMs) * 1000).toFixed(1)} actions/s), applied ${applied}/${ACTIONS}`,
    );
    if (profileFlush) {
      console.log(
        `    profiled flush, self time by function: ${flushTop.map(([k, v]) => `${k} ${Math.round(v)} ms`).join('; ')}`,
      );
    }
    console.log(
      `  IndexedDB usage: ${usage === null ? 'n/a' : `${Math.round(usage / 1024)} KiB total, ${Math.round(((usage / bookings.length) * 1000) / 1024)} KiB per 1,000 bookings`}`,
    );
    await context.close();
  } finally {
    await browser.close();
    await server.stop();
    await scratch?.drop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
