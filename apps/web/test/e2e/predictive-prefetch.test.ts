import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Booking, Resource, Service, Slot, TokenPair, Vendor } from '@slotcast/protocol';
import type { Browser, Page, WebSocket } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, chromiumAvailable, launchChromium } from './support/browser.js';
import { buildWebApp, freePort, SlotcastProcess } from './support/slotcast-process.js';

const available = chromiumAvailable();
if (!available) {
  const msg = `Chromium not found at ${CHROMIUM_PATH}: the predictive prefetch end-to-end test cannot run`;
  if (process.env.CI) throw new Error(msg);
  console.warn(`\n${'!'.repeat(100)}\n!! SKIPPED: ${msg}\n${'!'.repeat(100)}\n`);
}

const PASSWORD = 'slotcast-demo';
const TAG = 'slotcast-catch-up';

/** Reads one row of the user's offline store (IndexedDB) from a page of the app. */
const readStore = (page: Page, db: string, store: string, key: string) =>
  page.evaluate(
    ([db, store, key]) =>
      new Promise<unknown>((resolve, reject) => {
        const open = indexedDB.open(db!);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction(store!, 'readonly').objectStore(store!).get(key!);
          get.onsuccess = () => {
            open.result.close();
            resolve(get.result ?? null);
          };
          get.onerror = () => reject(get.error);
        };
      }),
    [db, store, key],
  );

describe.skipIf(!available)('predictive prefetch in Chromium', () => {
  let tmp: string;
  let server: SlotcastProcess;
  let browser: Browser;

  const api = async <T>(method: string, p: string, token?: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${server.url}/api/v1${p}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const login = (email: string) => api<TokenPair>('POST', '/auth/login', undefined, { email, password: PASSWORD });

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(tmpdir(), 'slotcast-e2e-prefetch-'));
    const dist = path.join(tmp, 'dist');
    buildWebApp(dist);
    server = new SlotcastProcess({ port: await freePort(), dataDir: path.join(tmp, 'data'), webDist: dist });
    await server.start();
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('counts the open, registers periodic sync when permitted, and the worker catches the store up on periodicsync', async () => {
    const alice = await login('alice@example.test');
    const owner = (await login('owner@studio-mira.test')).accessToken;
    const salon = (await api<Vendor[]>('GET', '/vendors')).find((v) => v.slug === 'studio-mira')!;
    const [service] = await api<Service[]>('GET', `/vendors/${salon.id}/services`);
    const [resource] = await api<Resource[]>('GET', `/vendors/${salon.id}/resources`);
    const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    const { slots } = await api<{ slots: Slot[] }>(
      'GET',
      `/resources/${resource!.id}/availability?serviceId=${service!.id}&from=${day(2)}&to=${day(9)}`,
    );
    const booking = await api<Booking>('POST', '/bookings', alice.accessToken, {
      resourceId: resource!.id,
      serviceId: service!.id,
      startAt: slots[0]!.startAt,
    });
    const dbName = `slotcast-offline:${alice.user.id}`;

    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    await context.grantPermissions(['notifications'], { origin: server.url });
    // As in connection-policy.test.ts: push "on" and a hidden page emulated, so the page's own socket sleeps and
    // only the service worker can bring the store up to date.
    await context.addInitScript(() => {
      const w = window as unknown as { __hidden: boolean };
      w.__hidden = false;
      Object.defineProperty(Document.prototype, 'visibilityState', {
        configurable: true,
        get: () => (w.__hidden ? 'hidden' : 'visible'),
      });
      PushManager.prototype.getSubscription = async () =>
        ({ endpoint: 'https://push.example.test/device' }) as unknown as PushSubscription;
      localStorage.setItem('slotcast:close-hidden-after-ms', '500');
    });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    // Chromium grants periodic sync to installed apps it engages with; here the permission is granted directly.
    const { targetInfo } = await cdp.send('Target.getTargetInfo');
    const browserCdp = await browser.newBrowserCDPSession();
    await browserCdp.send('Browser.grantPermissions', {
      origin: server.url,
      browserContextId: targetInfo.browserContextId,
      // The list replaces what the context granted: notifications stay granted (push "on").
      permissions: ['notifications', 'periodicBackgroundSync'],
    });
    const registered = new Promise<string>((resolve) =>
      cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
        const r = registrations.find((x) => x.scopeURL === `${server.url}/` && !x.isDeleted);
        if (r) resolve(r.registrationId);
      }),
    );
    await cdp.send('ServiceWorker.enable');
    const sockets: WebSocket[] = [];
    page.on('websocket', (ws) => {
      sockets.push(ws);
    });
    await page.goto(`${server.url}/`);
    await page.getByLabel('Email').fill('alice@example.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    const registrationId = await registered;
    await page.goto(`${server.url}/bookings`);
    sockets.length = 0;
    const card = page.locator(`[data-booking-id="${booking.id}"]`);
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 15_000 }).toBe('requested');
    await expect.poll(() => sockets.some((s) => !s.isClosed()), { timeout: 15_000 }).toBe(true);

    // The open is counted in the device's histogram, and the worker is asked to wake.
    const hour = await page.evaluate(() => new Date().getHours());
    await expect
      .poll(
        async () =>
          ((await readStore(page, dbName, 'meta', 'openHours')) as { value: { counts: number[] } } | null)?.value
            .counts,
        {
          timeout: 15_000,
        },
      )
      .toSatisfy((counts: number[] | undefined) => counts?.reduce((a, b) => a + b, 0) === 1);
    await expect
      .poll(
        () =>
          page.evaluate(async () => {
            const reg = (await navigator.serviceWorker.ready) as ServiceWorkerRegistration & {
              periodicSync: { getTags(): Promise<string[]> };
            };
            return reg.periodicSync.getTags();
          }),
        { timeout: 15_000 },
      )
      .toEqual([TAG]);

    // A live change gives the store a cursor; then the page goes to the background and its socket sleeps.
    await api<Booking>('POST', `/bookings/${booking.id}/confirm`, owner, { version: booking.version });
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 15_000 }).toBe('confirmed');
    await expect
      .poll(async () => ((await readStore(page, dbName, 'meta', 'cursor')) as { value: number } | null)?.value, {
        timeout: 15_000,
      })
      .toBeGreaterThan(0);
    await page.evaluate(() => {
      (window as unknown as { __hidden: boolean }).__hidden = true;
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await expect.poll(() => sockets.every((s) => s.isClosed()), { timeout: 15_000 }).toBe(true);
    await api<Booking>('POST', `/bookings/${booking.id}/cancel`, owner, { version: booking.version + 1 });
    const storedStatus = async () =>
      ((await readStore(page, dbName, 'bookings', booking.id)) as { booking: Booking } | null)?.booking.status;
    expect(await storedStatus()).toBe('confirmed');

    // The user usually opens the app in the coming hour (written as if counted on earlier days).
    await page.evaluate(
      ([db, next]) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open(db!);
          open.onsuccess = () => {
            const counts = new Array(24).fill(0);
            counts[next as number] = 5;
            const tx = open.result.transaction('meta', 'readwrite');
            tx.objectStore('meta').put({ key: 'openHours', value: { counts, lastCountedHour: null } });
            tx.oncomplete = () => {
              open.result.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
      [dbName, (hour + 1) % 24] as const,
    );
    await cdp.send('ServiceWorker.dispatchPeriodicSyncEvent', { origin: server.url, registrationId, tag: TAG });
    await expect.poll(storedStatus, { message: 'the worker stored the change', timeout: 20_000 }).toBe('cancelled');
    await expect
      .poll(async () => ((await readStore(page, dbName, 'meta', 'prefetchedAt')) as { value: number } | null)?.value, {
        timeout: 10_000,
      })
      .toBeGreaterThan(0);
    // The page's own socket stayed asleep: the change reached the store through the worker alone.
    expect(sockets.every((s) => s.isClosed())).toBe(true);
    expect(await card.getAttribute('data-status')).toBe('confirmed');
    await context.close();
  });
});
