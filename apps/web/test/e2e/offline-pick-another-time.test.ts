import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSlotcastClient, type SlotcastClient } from '@slotcast/client';
import type { Booking } from '@slotcast/protocol';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, chromiumAvailable, launchChromium } from './support/browser.js';
import { buildWebApp, freePort, SlotcastProcess } from './support/slotcast-process.js';

const available = chromiumAvailable();
if (!available) {
  const msg = `Chromium not found at ${CHROMIUM_PATH}: the "pick another time" end-to-end test cannot run`;
  if (process.env.CI) throw new Error(msg);
  console.warn(`\n${'!'.repeat(100)}\n!! SKIPPED: ${msg}\n${'!'.repeat(100)}\n`);
}

const PASSWORD = 'slotcast-demo';
const ZONE = 'Europe/Berlin';
const hhmm = (at: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    new Date(at),
  );

/** Three free Haircut slots on one day at Studio Mira, far enough apart that booking one leaves the others free. */
async function freeSlots(sdk: SlotcastClient): Promise<{ resourceId: string; serviceId: string; starts: string[] }> {
  const vendor = (await sdk.api.vendors.list()).find((v) => v.name === 'Studio Mira Hair')!;
  const [resources, services] = await Promise.all([
    sdk.api.vendors.resources(vendor.id),
    sdk.api.vendors.services(vendor.id),
  ]);
  const service = services.find((s) => s.name.startsWith('Haircut'))!;
  const resource = resources[0]!;
  for (let d = 2; d < 14; d++) {
    const day = new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    const { slots } = await sdk.api.resources.availability(resource.id, { serviceId: service.id, from: day, to: day });
    const spaced = slots.filter((_, i) => i % 8 === 0).slice(0, 3);
    if (spaced.length === 3)
      return { resourceId: resource.id, serviceId: service.id, starts: spaced.map((s) => s.startAt) };
  }
  throw new Error('no day with three free Haircut slots in the next two weeks');
}

describe.skipIf(!available)('"Pick another time" for a move refused after going offline, on a phone', () => {
  let tmp: string;
  let server: SlotcastProcess;
  let browser: Browser;
  let phone: BrowserContext;
  let page: Page;
  let alice: SlotcastClient;
  let bob: SlotcastClient;
  let mine: Booking;
  let wanted = '';
  let instead = '';

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(tmpdir(), 'slotcast-pick-time-e2e-'));
    const dist = path.join(tmp, 'dist');
    buildWebApp(dist);
    server = new SlotcastProcess({ port: await freePort(), dataDir: path.join(tmp, 'data'), webDist: dist });
    await server.start();
    browser = await launchChromium();
    phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      timezoneId: ZONE,
    });
    alice = createSlotcastClient({ baseUrl: server.url });
    await alice.api.auth.login({ email: 'alice@example.test', password: PASSWORD });
    bob = createSlotcastClient({ baseUrl: server.url });
    await bob.api.auth.login({ email: 'bob@example.test', password: PASSWORD });
    const free = await freeSlots(alice);
    mine = await alice.api.bookings.create({
      resourceId: free.resourceId,
      serviceId: free.serviceId,
      startAt: free.starts[0]!,
    });
    wanted = free.starts[1]!;
    instead = free.starts[2]!;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('opens the reschedule form again from the notice, and the notice leaves once a new time is chosen', async () => {
    page = await phone.newPage();
    await page.goto(`${server.url}/`);
    await page.getByLabel('Email').fill('alice@example.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'My bookings' }).first().waitFor();
    await page.goto(`${server.url}/bookings/${mine.id}`);
    await expect
      .poll(() => page.getByTestId('sync-status').getAttribute('data-state'), { timeout: 15_000 })
      .toBe('synced');
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));

    // The move is chosen online (free times need the server), then sent with no network: it waits on the device.
    await page.getByRole('button', { name: 'Reschedule' }).click();
    await page.getByRole('radio', { name: hhmm(wanted) }).check();
    await phone.setOffline(true);
    await page.getByRole('button', { name: 'Move booking' }).click();
    await page.getByText('Saved on this device').waitFor();
    await expect.poll(() => page.getByTestId('sync-status').textContent()).toMatch(/^Offline — 1 change waiting/);

    // Meanwhile someone else takes that time.
    await bob.api.bookings.create({ resourceId: mine.resourceId, serviceId: mine.serviceId, startAt: wanted });

    await phone.setOffline(false);
    const list = page.getByTestId('attention-list');
    await list.waitFor({ timeout: 30_000 });
    await expect.poll(() => list.textContent()).toContain('taken by someone else');
    await list.getByRole('button', { name: 'Pick another time' }).click();

    // The booking's reschedule form, open, for the same booking; the notice stays until a time is chosen.
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/bookings/${mine.id}`);
    await page.getByRole('radio', { name: hhmm(instead) }).check();
    expect(await list.isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Move booking' }).click();
    await list.waitFor({ state: 'detached', timeout: 15_000 });
    await expect.poll(async () => (await alice.api.bookings.get(mine.id)).startAt).toBe(instead);
    // The phone layout holds: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(tmpdir(), 'slotcast-pick-another-time-390.png'), fullPage: true });
  });
});
