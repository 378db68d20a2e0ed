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
  const msg = `Chromium not found at ${CHROMIUM_PATH}: the connection-policy end-to-end test cannot run`;
  if (process.env.CI) throw new Error(msg);
  console.warn(`\n${'!'.repeat(100)}\n!! SKIPPED: ${msg}\n${'!'.repeat(100)}\n`);
}

const PASSWORD = 'slotcast-demo';

describe.skipIf(!available)('battery-aware connection in Chromium', () => {
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
  const login = async (email: string) =>
    (await api<TokenPair>('POST', '/auth/login', undefined, { email, password: PASSWORD })).accessToken;

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(tmpdir(), 'slotcast-e2e-policy-'));
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

  it('closes the socket while hidden with push on, replays the missed change once when visible again; Refresh catches up', async () => {
    const alice = await login('alice@example.test');
    const owner = await login('owner@studio-mira.test');
    const salon = (await api<Vendor[]>('GET', '/vendors')).find((v) => v.slug === 'studio-mira')!;
    const [service] = await api<Service[]>('GET', `/vendors/${salon.id}/services`);
    const [resource] = await api<Resource[]>('GET', `/vendors/${salon.id}/resources`);
    const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    const { slots } = await api<{ slots: Slot[] }>(
      'GET',
      `/resources/${resource!.id}/availability?serviceId=${service!.id}&from=${day(2)}&to=${day(9)}`,
    );
    const booking = await api<Booking>('POST', '/bookings', alice, {
      resourceId: resource!.id,
      serviceId: service!.id,
      startAt: slots[0]!.startAt,
    });
    expect(booking.status).toBe('requested');

    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    await context.grantPermissions(['notifications'], { origin: server.url });
    // The page's situation, as a phone would report it: headless Chromium has no push service to subscribe with
    // and never hides a tab, so the subscription and the visibility state are the two things emulated here.
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
    const page: Page = await context.newPage();
    const sockets: WebSocket[] = [];
    page.on('websocket', (ws) => {
      sockets.push(ws);
    });
    await page.goto(`${server.url}/`);
    await page.getByLabel('Email').fill('alice@example.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.goto(`${server.url}/bookings`);
    // The sign-in document's socket went with that document; Playwright never reports it closed. Count this page's.
    sockets.length = 0;
    const card = page.locator(`[data-booking-id="${booking.id}"]`);
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 15_000 }).toBe('requested');
    await expect.poll(() => sockets.some((s) => !s.isClosed()), { timeout: 15_000 }).toBe(true);
    const openBefore = sockets.length;
    const unread = async () =>
      Number(/(\d+) unread/.exec((await page.getByTestId('notification-bell').getAttribute('aria-label')) ?? '')?.[1]);
    const unreadBefore = await unread();

    const setHidden = (hidden: boolean) =>
      page.evaluate((h) => {
        (window as unknown as { __hidden: boolean }).__hidden = h;
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
    await setHidden(true);
    await expect
      .poll(() => sockets.every((s) => s.isClosed()), { message: 'the socket to close while hidden', timeout: 15_000 })
      .toBe(true);

    // Changed while the socket sleeps (push would tell the user now).
    await api<Booking>('POST', `/bookings/${booking.id}/confirm`, owner, { version: booking.version });
    expect(await card.getAttribute('data-status')).toBe('requested');

    await setHidden(false);
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 15_000 }).toBe('confirmed');
    expect(sockets.length).toBeGreaterThan(openBefore);
    expect(sockets.at(-1)!.isClosed()).toBe(false);
    // Replayed from the cursor exactly once: one booking.confirmed for this booking over all the sockets.
    // Replayed from the cursor exactly once: one new notification ("Booking confirmed"), not two.
    await expect.poll(unread, { timeout: 15_000 }).toBe(unreadBefore + 1);
    await page.getByTestId('notification-bell').click();
    const panel = page.getByTestId('notification-panel');
    await panel.getByText('Booking confirmed').first().waitFor();
    expect(await panel.getByRole('listitem').filter({ hasText: 'Booking confirmed' }).count()).toBe(1);
    expect(await unread()).toBe(unreadBefore + 1);
    await page.keyboard.press('Escape');

    // Refresh (the phone's pull-to-refresh): with the socket asleep, it reconnects and catches up at once.
    await setHidden(true);
    await expect.poll(() => sockets.every((s) => s.isClosed()), { timeout: 15_000 }).toBe(true);
    await api<Booking>('POST', `/bookings/${booking.id}/cancel`, owner, { version: booking.version + 1 });
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 15_000 }).toBe('cancelled');
    expect(sockets.at(-1)!.isClosed()).toBe(false);
    await context.close();
  });

  it('a pull down on a phone reconnects and catches up My bookings and Notifications, saying so', async () => {
    const bob = await login('bob@example.test');
    const owner = await login('owner@studio-mira.test');
    const salon = (await api<Vendor[]>('GET', '/vendors')).find((v) => v.slug === 'studio-mira')!;
    const [service] = await api<Service[]>('GET', `/vendors/${salon.id}/services`);
    const [resource] = await api<Resource[]>('GET', `/vendors/${salon.id}/resources`);
    const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    const { slots } = await api<{ slots: Slot[] }>(
      'GET',
      `/resources/${resource!.id}/availability?serviceId=${service!.id}&from=${day(10)}&to=${day(17)}`,
    );
    const booking = await api<Booking>('POST', '/bookings', bob, {
      resourceId: resource!.id,
      serviceId: service!.id,
      startAt: slots[0]!.startAt,
    });

    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    await context.grantPermissions(['notifications'], { origin: server.url });
    // As above: push "on" and a hidden page are emulated, so the policy closes the socket; the pull happens then.
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
    const page: Page = await context.newPage();
    const sockets: WebSocket[] = [];
    page.on('websocket', (ws) => {
      sockets.push(ws);
    });
    await page.goto(`${server.url}/`);
    await page.getByLabel('Email').fill('bob@example.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();

    const sleepSocket = async () => {
      await expect.poll(() => sockets.some((s) => !s.isClosed()), { timeout: 15_000 }).toBe(true);
      await page.evaluate(() => {
        (window as unknown as { __hidden: boolean }).__hidden = true;
        document.dispatchEvent(new Event('visibilitychange'));
      });
      await expect.poll(() => sockets.every((s) => s.isClosed()), { timeout: 15_000 }).toBe(true);
    };
    // Every text the status line shows, so the brief "Catching up…" is seen however fast the catch-up is.
    const recordStatus = () =>
      page.evaluate(() => {
        const w = window as unknown as { __said: string[] };
        w.__said = [];
        const line = document.querySelector('[data-testid="refresh-status"]')!;
        new MutationObserver(() => w.__said.push(line.textContent ?? '')).observe(line, {
          childList: true,
          characterData: true,
          subtree: true,
        });
      });
    const said = () => page.evaluate(() => (window as unknown as { __said: string[] }).__said);
    // A finger on the screen, through the browser's input pipeline: down near the top, 240 px down, up.
    const pullDown = async () => {
      await page.evaluate(() => window.scrollTo(0, 0));
      const box = (await page.getByTestId('pull-to-refresh').boundingBox())!;
      const x = box.x + box.width / 2;
      const y = box.y + 10;
      const cdp = await context.newCDPSession(page);
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
      for (let dy = 30; dy <= 240; dy += 30) {
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: y + dy }] });
      }
      expect(await page.getByTestId('pull-to-refresh').getAttribute('data-pull')).toBe('armed');
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      await cdp.detach();
    };

    // My bookings.
    await page.goto(`${server.url}/bookings`);
    sockets.length = 0;
    const card = page.locator(`[data-booking-id="${booking.id}"]`);
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 15_000 }).toBe('requested');
    await sleepSocket();
    await api<Booking>('POST', `/bookings/${booking.id}/confirm`, owner, { version: booking.version });
    expect(await card.getAttribute('data-status')).toBe('requested');
    await recordStatus();
    await pullDown();
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 15_000 }).toBe('confirmed');
    await expect.poll(said, { timeout: 15_000 }).toContainEqual(expect.stringMatching(/^Up to date as of \d\d:\d\d$/));
    const texts = await said();
    expect(texts.indexOf('Catching up…')).toBeGreaterThanOrEqual(0);
    expect(texts.indexOf('Catching up…')).toBeLessThan(texts.findIndex((t) => t.startsWith('Up to date')));
    expect(sockets.at(-1)!.isClosed()).toBe(false);

    // Notifications: the cancellation made while the socket slept is listed after the pull.
    await page.evaluate(() => {
      (window as unknown as { __hidden: boolean }).__hidden = false;
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await page.getByRole('link', { name: 'Notifications', exact: true }).first().click();
    await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    const history = page.locator('main');
    await history.getByText('Booking confirmed').first().waitFor({ timeout: 15_000 });
    await sleepSocket();
    await api<Booking>('POST', `/bookings/${booking.id}/cancel`, owner, { version: booking.version + 1 });
    expect(await history.getByText('Your booking was cancelled').count()).toBe(0);
    await recordStatus();
    await pullDown();
    await history.getByText('Your booking was cancelled').first().waitFor({ timeout: 15_000 });
    await expect.poll(said, { timeout: 15_000 }).toContainEqual(expect.stringMatching(/^Up to date as of /));
    await context.close();
  });
});
