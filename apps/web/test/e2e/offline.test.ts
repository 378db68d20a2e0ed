import { createSlotcastClient, type SlotcastClient } from '@slotcast/client';
import type { Booking, BookingEvent } from '@slotcast/protocol';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spacedHaircutSlots } from './support/demo-flows.js';
import { chromiumOrSkip, DEMO_PASSWORD, WebStack } from './support/web-stack.js';

const available = chromiumOrSkip('the offline end-to-end suite');

describe.skipIf(!available)('offline-first web app in Chromium against a real server', () => {
  let stack: WebStack;
  let staff: BrowserContext;
  let desk: Page;
  let customer: SlotcastClient;
  let watcher: SlotcastClient;
  const events: BookingEvent[] = [];
  let a: Booking;
  let b: Booking;
  let moveTo = '';

  const row = (page: Page, id: string) => page.locator(`tr[data-booking-id="${id}"]`);
  const syncStatus = (page: Page) => page.getByTestId('sync-status');
  const eventsOf = (id: string, type: string) =>
    events.filter((e) => e.data.booking.id === id && e.type === type).length;

  beforeAll(async () => {
    stack = await WebStack.start({ name: 'offline' });
    staff = await stack.browser.newContext({ viewport: { width: 1366, height: 900 }, timezoneId: 'Europe/Berlin' });

    customer = createSlotcastClient({ baseUrl: stack.url });
    await customer.api.auth.login({ email: 'alice@example.test', password: DEMO_PASSWORD });
    const free = await spacedHaircutSlots(customer);
    a = await customer.api.bookings.create({
      resourceId: free.resourceId,
      serviceId: free.serviceId,
      startAt: free.starts[0]!,
    });
    b = await customer.api.bookings.create({
      resourceId: free.resourceId,
      serviceId: free.serviceId,
      startAt: free.starts[1]!,
    });
    moveTo = free.starts[2]!;

    // A second staff session outside the browser records the vendor's events, as the event log hands them out.
    watcher = createSlotcastClient({ baseUrl: stack.url });
    await watcher.api.auth.login({ email: 'owner@studio-mira.test', password: DEMO_PASSWORD });
    watcher.realtime.onEvent((e) => {
      events.push(e);
    });
    watcher.realtime.start();
  });

  afterAll(async () => {
    await watcher?.realtime.stop();
    await stack?.stop();
  });

  it('loads the bookings online and keeps them for later', async () => {
    desk = await staff.newPage();
    await desk.goto(`${stack.url}/`);
    await desk.getByLabel('Email').fill('owner@studio-mira.test');
    await desk.getByLabel('Password').fill(DEMO_PASSWORD);
    await desk.getByRole('button', { name: 'Sign in' }).click();
    await desk.getByRole('link', { name: 'Bookings' }).click();
    await row(desk, a.id).waitFor();
    await row(desk, b.id).waitFor();
    await expect.poll(() => syncStatus(desk).getAttribute('data-state'), { timeout: 15_000 }).toBe('synced');
    // The service worker has the app shell before the network goes.
    await desk.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  });

  it('reloads with no network and shows the bookings from the device', async () => {
    await staff.setOffline(true);
    await desk.reload();
    await row(desk, a.id).waitFor({ timeout: 15_000 });
    await row(desk, b.id).waitFor();
    await expect.poll(() => syncStatus(desk).textContent()).toMatch(/^Offline/);
  });

  it('takes a confirm and a cancel offline, shown at once as waiting', async () => {
    await row(desk, a.id).getByRole('button').first().click();
    const panel = desk.getByTestId('booking-panel');
    await panel.getByRole('button', { name: 'Confirm' }).click();
    await panel.getByText('Confirm: waiting to send').waitFor();

    await row(desk, b.id).getByRole('button').first().click();
    await panel.getByRole('button', { name: 'Cancel booking' }).click();
    await panel.getByRole('button', { name: 'Cancel booking' }).click();
    await panel.getByText('Cancel: waiting to send').waitFor();
    await expect.poll(() => syncStatus(desk).textContent()).toMatch(/^Offline — 2 changes waiting/);
  });

  it('meanwhile, the customer moves the booking the staff cancelled', async () => {
    b = await customer.api.bookings.reschedule(b.id, { version: b.version, startAt: moveTo });
    await expect.poll(() => eventsOf(b.id, 'booking.rescheduled')).toBe(1);
  });

  it('back online: the confirm is applied once, the cancel is refused by the table and offered again', async () => {
    await staff.setOffline(false);
    await desk.getByTestId('attention-list').waitFor({ timeout: 30_000 });
    await expect.poll(() => syncStatus(desk).getAttribute('data-state'), { timeout: 30_000 }).toBe('synced');
    const notice = desk.getByTestId('attention-list').getByTestId('conflict-notice');
    await expect.poll(() => notice.textContent()).toContain('changed before your change reached the server');
    expect(await notice.getByRole('button').allTextContents()).toEqual(['Cancel the booking', 'Keep it as it is']);

    // The server's state: A confirmed by one change, B moved and not cancelled.
    const staffSdk = watcher.api.bookings;
    expect(await staffSdk.get(a.id)).toMatchObject({ status: 'confirmed', version: a.version + 1 });
    expect(await staffSdk.get(b.id)).toMatchObject({ status: 'requested', startAt: moveTo, version: b.version });

    // Sentinel: a change made after everything above; once it arrives, every earlier event has too.
    await customer.api.bookings.transition(a.id, 'cancel', { version: a.version + 1 });
    await expect.poll(() => eventsOf(a.id, 'booking.cancelled')).toBe(1);
    expect(eventsOf(a.id, 'booking.confirmed')).toBe(1);
    expect(eventsOf(b.id, 'booking.cancelled')).toBe(0);
    expect(eventsOf(b.id, 'booking.rescheduled')).toBe(1);
  });

  it('"Keep it as it is" clears the notice and leaves the booking as the customer moved it', async () => {
    await desk.getByRole('button', { name: 'Keep it as it is' }).click();
    await desk.getByTestId('attention-list').waitFor({ state: 'detached' });
    expect(await row(desk, b.id).getAttribute('data-status')).toBe('requested');
  });

  it('with two tabs offline, one action taken in one of them is sent once', async () => {
    const second = await staff.newPage();
    await second.goto(`${stack.url}/bookings`);
    await row(second, b.id).waitFor();
    await staff.setOffline(true);
    await row(desk, b.id).getByRole('button').first().click();
    const panel = desk.getByTestId('booking-panel');
    await panel.getByRole('button', { name: 'Confirm' }).click();
    // The other tab sees the same queue.
    await expect.poll(() => syncStatus(second).textContent()).toMatch(/^Offline — 1 change waiting/);
    await staff.setOffline(false);
    await expect.poll(() => syncStatus(second).getAttribute('data-state'), { timeout: 30_000 }).toBe('synced');
    await expect.poll(() => eventsOf(b.id, 'booking.confirmed'), { timeout: 15_000 }).toBe(1);
    // Sentinel after both tabs had every chance to send it twice.
    await customer.api.bookings.transition(b.id, 'cancel', { version: b.version + 1 });
    await expect.poll(() => eventsOf(b.id, 'booking.cancelled')).toBe(1);
    expect(eventsOf(b.id, 'booking.confirmed')).toBe(1);
    await second.close();
  });

  it('a reload while an action is on its way sends it again under the same key, and the server applies it once', async () => {
    const free = await spacedHaircutSlots(customer);
    const d = await customer.api.bookings.create({
      resourceId: free.resourceId,
      serviceId: free.serviceId,
      startAt: free.starts[0]!,
    });
    await desk.reload();
    await row(desk, d.id).waitFor();
    await staff.setOffline(true);
    await row(desk, d.id).getByRole('button').first().click();
    await desk.getByTestId('booking-panel').getByRole('button', { name: 'Confirm' }).click();
    await desk.getByText('Confirm: waiting to send').waitFor();

    // The request reaches the server, but its answer never reaches the page: then the page reloads.
    const confirmUrl = `**/api/v1/bookings/${d.id}/confirm`;
    await desk.route(confirmUrl, async (route) => {
      await route.fetch().catch(() => null);
    });
    await staff.setOffline(false);
    await expect.poll(() => eventsOf(d.id, 'booking.confirmed'), { timeout: 30_000 }).toBe(1);
    await desk.unroute(confirmUrl);
    await desk.reload();
    await expect.poll(() => syncStatus(desk).getAttribute('data-state'), { timeout: 30_000 }).toBe('synced');
    expect(await row(desk, d.id).getAttribute('data-status')).toBe('confirmed');

    // Sentinel: a later change; once its event is in, a second confirm would have been too.
    await customer.api.bookings.transition(d.id, 'cancel', { version: d.version + 1 });
    await expect.poll(() => eventsOf(d.id, 'booking.cancelled')).toBe(1);
    expect(eventsOf(d.id, 'booking.confirmed')).toBe(1);
  });

  it('asks before signing out with actions waiting, and wipes the device when the user agrees', async () => {
    const c = await customer.api.bookings.create({
      resourceId: a.resourceId,
      serviceId: a.serviceId,
      startAt: a.startAt,
    });
    await desk.reload();
    await row(desk, c.id).waitFor();
    await staff.setOffline(true);
    await row(desk, c.id).getByRole('button').first().click();
    await desk.getByTestId('booking-panel').getByRole('button', { name: 'Confirm' }).click();
    await desk.getByText('Confirm: waiting to send').waitFor();

    let asked = '';
    desk.once('dialog', (d) => {
      asked = d.message();
      void d.dismiss();
    });
    await desk.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => asked).toContain('1 change made offline has not been sent yet');
    // Declined: still signed in, still waiting.
    await desk.getByText('Confirm: waiting to send').waitFor();

    desk.once('dialog', (d) => void d.accept());
    await desk.getByRole('button', { name: 'Sign out' }).click();
    await desk.getByRole('heading', { name: 'Sign in to Slotcast' }).waitFor();
    const databases = await desk.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
    expect(databases.filter((n) => n?.startsWith('slotcast-offline:'))).toEqual([]);
    await staff.setOffline(false);
  });
});
