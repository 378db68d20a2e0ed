import type { Booking, TokenPair } from '@slotcast/protocol';
import type { Page, WebSocket } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTransportGate, type TransportGate } from '../../../../packages/client/test/support/transport-gate.js';
import { emulatePushPhone, setHidden } from './support/phone.js';
import { chromiumOrSkip, DEMO_PASSWORD, WebStack } from './support/web-stack.js';

const available = chromiumOrSkip('the predictive prefetch end-to-end test');

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
  let stack: WebStack;
  // In front of the node, as a proxy would be: the page, its worker and their sockets all go through it.
  let gate: TransportGate;

  const _login = (email: string) =>
    stack.api<TokenPair>('POST', '/auth/login', undefined, { email, password: DEMO_PASSWORD });

  beforeAll(async () => {
    stack = await WebStack.start({ name: 'prefetch' });
    gate = await startTransportGate(stack.url);
  }, 240_000);

  afterAll(async () => {
    await gate?.close();
    await stack?.stop();
  });

  it('counts the open, registers periodic sync when permitted, and the worker catches the store up on periodicsync, past WebSockets closed before they open', async () => {
    const alice = await stack.api<TokenPair>('POST', '/auth/login', undefined, {
      email: 'alice@example.test',
      password: DEMO_PASSWORD,
    });
    const owner = await stack.login('owner@studio-mira.test');
    const booking = await stack.requestBooking(alice.accessToken, await stack.salonSlots(2));
    const dbName = `slotcast-offline:${alice.user.id}`;

    const context = await stack.browser.newContext({ viewport: { width: 390, height: 844 } });
    // As in connection-policy.test.ts: push "on" and a hidden page emulated, so the page's own socket sleeps and
    // only the service worker can bring the store up to date.
    await emulatePushPhone(context, gate.url);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    // Chromium grants periodic sync to installed apps it engages with; here the permission is granted directly.
    const { targetInfo } = await cdp.send('Target.getTargetInfo');
    const browserCdp = await stack.browser.newBrowserCDPSession();
    await browserCdp.send('Browser.grantPermissions', {
      origin: gate.url,
      browserContextId: targetInfo.browserContextId,
      // The list replaces what the context granted: notifications stay granted (push "on").
      permissions: ['notifications', 'periodicBackgroundSync'],
    });
    const registered = new Promise<string>((resolve) =>
      cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
        const r = registrations.find((x) => x.scopeURL === `${gate.url}/` && !x.isDeleted);
        if (r) resolve(r.registrationId);
      }),
    );
    await cdp.send('ServiceWorker.enable');
    const sockets: WebSocket[] = [];
    page.on('websocket', (ws) => {
      sockets.push(ws);
    });
    await stack.signIn(page, 'alice@example.test', gate.url);
    const registrationId = await registered;
    await page.goto(`${gate.url}/bookings`);
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
    await stack.api<Booking>('POST', `/bookings/${booking.id}/confirm`, owner, { version: booking.version });
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 15_000 }).toBe('confirmed');
    await expect
      .poll(async () => ((await readStore(page, dbName, 'meta', 'cursor')) as { value: number } | null)?.value, {
        timeout: 15_000,
      })
      .toBeGreaterThan(0);
    await setHidden(page, true);
    await expect.poll(() => sockets.every((s) => s.isClosed()), { timeout: 15_000 }).toBe(true);
    await stack.api<Booking>('POST', `/bookings/${booking.id}/cancel`, owner, { version: booking.version + 1 });
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
    // The node was just redeployed: its proxy accepts the worker's first two WebSockets and closes them before
    // Engine.IO opens. The worker connects WebSocket-only; each early close fails its attempt at once and it tries
    // again after the back-off, well within its 20 s catch-up (which the attempt alone used to wait out).
    gate.closeUpgrades = 2;
    await cdp.send('ServiceWorker.dispatchPeriodicSyncEvent', { origin: gate.url, registrationId, tag: TAG });
    await expect.poll(storedStatus, { message: 'the worker stored the change', timeout: 20_000 }).toBe('cancelled');
    expect(gate.closedUpgrades).toBe(2);
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
