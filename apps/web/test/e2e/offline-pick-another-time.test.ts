import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSlotcastClient, type SlotcastClient } from '@slotcast/client';
import type { Booking } from '@slotcast/protocol';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spacedHaircutSlots } from './support/demo-flows.js';
import { chromiumOrSkip, DEMO_PASSWORD, WebStack } from './support/web-stack.js';

const available = chromiumOrSkip('the "pick another time" end-to-end test');

const ZONE = 'Europe/Berlin';
const hhmm = (at: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    new Date(at),
  );

describe.skipIf(!available)('"Pick another time" for a move refused after going offline, on a phone', () => {
  let stack: WebStack;
  let phone: BrowserContext;
  let page: Page;
  let alice: SlotcastClient;
  let bob: SlotcastClient;
  let mine: Booking;
  let wanted = '';
  let instead = '';

  beforeAll(async () => {
    stack = await WebStack.start({ name: 'pick-time' });
    phone = await stack.browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      timezoneId: ZONE,
    });
    alice = createSlotcastClient({ baseUrl: stack.url });
    await alice.api.auth.login({ email: 'alice@example.test', password: DEMO_PASSWORD });
    bob = createSlotcastClient({ baseUrl: stack.url });
    await bob.api.auth.login({ email: 'bob@example.test', password: DEMO_PASSWORD });
    const free = await spacedHaircutSlots(alice, 2);
    mine = await alice.api.bookings.create({
      resourceId: free.resourceId,
      serviceId: free.serviceId,
      startAt: free.starts[0]!,
    });
    wanted = free.starts[1]!;
    instead = free.starts[2]!;
  });

  afterAll(() => stack?.stop());

  it('opens the reschedule form again from the notice, and the notice leaves once a new time is chosen', async () => {
    page = await phone.newPage();
    await page.goto(`${stack.url}/`);
    await page.getByLabel('Email').fill('alice@example.test');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'My bookings' }).first().waitFor();
    await page.goto(`${stack.url}/bookings/${mine.id}`);
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
