import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousA11yViolations } from './support/browser.js';
import { bookFirstHaircut } from './support/demo-flows.js';
import { webRoot } from './support/slotcast-process.js';
import { chromiumOrSkip, DEMO_PASSWORD, WebStack } from './support/web-stack.js';

const available = chromiumOrSkip('the booking-page journeys');

const SHOTS = path.join(webRoot, 'test-results');
const PHONE = {
  viewport: { width: 390, height: 844 },
  hasTouch: true,
  isMobile: true,
  reducedMotion: 'reduce' as const,
};
const DESK = { viewport: { width: 1366, height: 900 } };

/** Visible controls smaller than 44×44 CSS px (a checkbox or radio counts by the label that wraps it). */
function smallTapTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const controls = document.querySelectorAll<HTMLElement>('a[href], button, select, input, textarea, summary');
    for (const el of controls) {
      const target = el instanceof HTMLInputElement && el.closest('label') ? el.closest('label')! : el;
      const r = target.getBoundingClientRect();
      const style = getComputedStyle(target);
      // Off-screen until focused (the skip link) or not rendered: not a tap target.
      if (r.width === 0 || r.height === 0 || r.bottom < 0 || style.visibility === 'hidden') continue;
      if (r.width < 44 || r.height < 44) {
        out.push(
          `${target.tagName.toLowerCase()} "${(target.textContent ?? '').trim().slice(0, 30)}" ${r.width.toFixed(0)}×${r.height.toFixed(0)}`,
        );
      }
    }
    return out;
  });
}

describe.skipIf(!available)('booking pages, people and not-found pages in Chromium', () => {
  let stack: WebStack;

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(SHOTS, `people-${name}.png`), fullPage: true });
  const a11y = async (page: Page, name: string) => {
    const violations = await seriousA11yViolations(page);
    expect(violations, `${name}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
  };
  const signedIn = async (ctx: BrowserContext, email: string, at = '/') => {
    const page = await ctx.newPage();
    await page.goto(`${stack.url}${at}`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await expect
      .poll(async () => /^Live/.test((await page.getByTestId('connection-status').textContent()) ?? ''), {
        message: 'Live',
        timeout: 15_000,
      })
      .toBe(true);
    return page;
  };

  /**
   * As a customer, over the API: books a Haircut at Studio Mira at `at`, or at the last free time of the week that
   * starts three days from now.
   */
  const bookOverApi = async (email: string, at?: { startAt: string; resourceId: string }) => {
    const json = async <T>(url: string, init?: RequestInit) =>
      (await fetch(`${stack.url}/api/v1${url}`, init)).json() as Promise<T>;
    const { accessToken } = await json<{ accessToken: string }>('/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: DEMO_PASSWORD }),
    });
    const vendors = await json<{ id: string; name: string }[]>('/vendors');
    const salon = vendors.find((v) => v.name === 'Studio Mira Hair')!;
    const services = await json<{ id: string; name: string; resourceIds: string[] }[]>(`/vendors/${salon.id}/services`);
    const haircut = services.find((x) => x.name === 'Haircut')!;
    let target = at;
    if (!target) {
      const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
      const resourceId = haircut.resourceIds[0]!;
      const free = await json<{ slots: { startAt: string }[] }>(
        `/resources/${resourceId}/availability?serviceId=${haircut.id}&from=${day(3)}&to=${day(10)}`,
      );
      target = { resourceId, startAt: free.slots.at(-1)!.startAt };
    }
    const res = await fetch(`${stack.url}/api/v1/bookings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ ...target, serviceId: haircut.id }),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; startAt: string; resourceId: string };
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    stack = await WebStack.start({ name: 'people' });
  });
  afterAll(() => stack?.stop());

  it('a customer shares her phone and books; staff see who booked, open it from the notification and confirm; she follows it on its page and moves it', async () => {
    const phone = await stack.browser.newContext({ ...PHONE, timezoneId: 'America/New_York' });
    const desk = await stack.browser.newContext({ ...DESK, timezoneId: 'Europe/Berlin' });

    // The customer fills in her profile on her phone.
    const shop = await signedIn(phone, 'alice@example.test', '/profile');
    await shop.getByRole('heading', { name: 'Your profile' }).waitFor();
    await shop.getByLabel('Name', { exact: true }).fill('Alice Marchetti');
    await shop.getByLabel('Phone', { exact: true }).fill('+1 212 555 0147');
    await shop.getByLabel('My phone number').check();
    await a11y(shop, 'customer: profile');
    expect(await smallTapTargets(shop), 'profile tap targets').toEqual([]);
    await shop.getByRole('button', { name: 'Save profile' }).click();
    await shop.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await shot(shop, '01-customer-profile');

    // Staff watch their bookings list; her request arrives live, with her name.
    const staff = await signedIn(desk, 'staff@studio-mira.test', '/bookings');
    await shop.getByRole('link', { name: 'Book', exact: true }).click();
    await bookFirstHaircut(shop);
    const row = staff.getByTestId('booking-list').locator('tr[data-status="requested"]').first();
    await row.waitFor();
    await expect
      .poll(async () => (await row.getByTestId('booking-customer').textContent()) === 'Alice Marchetti', {
        message: 'her name in the list',
        timeout: 15_000,
      })
      .toBe(true);

    // The panel shows her shared phone (not her email, which she did not share).
    await staff.getByRole('link', { name: 'Bookings' }).click();
    await staff
      .getByRole('button', { name: /Haircut, .*: show details/ })
      .first()
      .click();
    const panel = staff.getByTestId('booking-panel');
    await expect
      .poll(async () => ((await panel.getByTestId('panel-customer').textContent()) ?? '').includes('+1 212 555 0147'), {
        message: 'the phone in the panel',
        timeout: 15_000,
      })
      .toBe(true);
    expect(await panel.getByText('alice@example.test').count()).toBe(0);
    await shot(staff, '02-staff-panel-with-customer');

    // Staff open the booking from its notification: a link to its page.
    await staff.getByTestId('notification-bell').click();
    await staff
      .getByTestId('notification-panel')
      .getByRole('listitem')
      .filter({ hasText: 'Alice Marchetti' })
      .first()
      .getByRole('link', { name: /Open booking/ })
      .click();
    await staff.waitForURL(/\/bookings\/[0-9a-f-]{36}$/);
    const bookingUrl = new URL(staff.url()).pathname;
    await staff.getByRole('heading', { level: 1, name: /^Haircut/ }).waitFor();
    await staff.getByTestId('timeline').getByText('Requested by Alice Marchetti').waitFor();
    expect(await staff.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    await a11y(staff, 'staff: booking page');
    await staff.getByRole('button', { name: 'Confirm' }).click();
    await staff.getByTestId('timeline').getByText('Confirmed by you').waitFor();
    await shot(staff, '03-staff-booking-page');

    // On the schedule, her booking's block names her too (the day is the booking's, at the salon).
    const bookingId = bookingUrl.split('/').at(-1)!;
    const startAt = (await staff.locator('article.booking-page').getAttribute('data-start'))!;
    await staff.getByRole('link', { name: 'Schedule' }).click();
    await staff.getByRole('heading', { level: 1, name: 'Schedule' }).waitFor();
    await staff
      .getByLabel('Date', { exact: true })
      .fill(new Date(startAt).toLocaleDateString('en-CA', { timeZone: 'Europe/Berlin' }));
    const block = staff.locator(`.block[data-booking-id="${bookingId}"]`);
    await block.waitFor();
    expect(await block.locator('.block-customer').textContent()).toBe('Alice Marchetti');
    await shot(staff, '03b-staff-schedule-with-name');
    await staff.goto(`${stack.url}${bookingUrl}`);

    // She opens the same page on her phone: confirmed, with who did what, and the vendor's rules.
    await shop.goto(`${stack.url}${bookingUrl}`);
    await shop.getByTestId('booking-page-status').getByText('Confirmed').waitFor();
    await shop.getByTestId('timeline').getByText('Requested by you').waitFor();
    await shop.getByTestId('timeline').getByText('Confirmed by Studio Mira Hair').waitFor();
    expect(await shop.getByText('Sam Stylist').count(), 'staff names stay with the vendor').toBe(0);
    await a11y(shop, 'customer: booking page');
    expect(await smallTapTargets(shop), 'booking page tap targets').toEqual([]);
    await shot(shop, '04-customer-booking-page');

    // She moves it herself, within the vendor's rules; staff see the move live in the history.
    await shop.getByRole('button', { name: 'Reschedule' }).click();
    const times = shop.locator('.slot-choice');
    await times.first().waitFor();
    await times.nth(1).click();
    await shop.getByRole('button', { name: 'Move booking' }).click();
    await shop
      .getByTestId('timeline')
      .getByText(/^Moved from .* by you/)
      .waitFor();
    await staff
      .getByTestId('timeline')
      .getByText(/^Moved from .* by Alice Marchetti/)
      .waitFor();
    await shot(shop, '05-customer-moved');

    await phone.close();
    await desk.close();
  });

  it('on a phone, a customer picks a time by touch or keys; the Book bar stays in view and lets go of a time taken meanwhile', async () => {
    const phone = await stack.browser.newContext({ ...PHONE, timezoneId: 'America/New_York' });
    const shop = await signedIn(phone, 'bob@example.test');
    await shop.getByRole('heading', { name: 'Book an appointment' }).waitFor();
    expect(await smallTapTargets(shop), 'directory tap targets').toEqual([]);
    // The sticky header leaves the screen to the page: one row of navigation that scrolls sideways, every link in it.
    const header = (await shop.locator('.app-header').boundingBox())!;
    expect(header.height, 'header height on an 844 px screen').toBeLessThanOrEqual(150);
    const nav = shop.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allTextContents()).toEqual([
      'Book',
      'My bookings',
      'Notifications',
      'Profile',
      'Notification settings',
    ]);
    await nav.getByRole('link', { name: 'Notification settings' }).click();
    await shop.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    // Scrolled into view on its page: the link of the page the user is on is on screen.
    const current = (await nav.getByRole('link', { name: 'Notification settings' }).boundingBox())!;
    expect(current.x).toBeGreaterThanOrEqual(0);
    expect(current.x + current.width).toBeLessThanOrEqual(390);
    await nav.getByRole('link', { name: 'Book', exact: true }).click();
    await shop.getByRole('link', { name: 'Studio Mira Hair' }).click();
    await shop.getByRole('radio', { name: /Haircut/ }).check();
    const bar = shop.getByTestId('book-bar');
    await bar.getByText('Pick a time for Haircut.').waitFor();
    // It opens on the first day with a free time; the full days before it say so.
    const days = shop.locator('.day-strip button');
    await shop.locator('fieldset[data-day][aria-busy="false"]').waitFor();
    const first = (await days.allTextContents()).findIndex((t) => !t.includes('No times'));
    expect(first).toBeGreaterThanOrEqual(0);
    expect(await days.nth(first).getAttribute('aria-pressed')).toBe('true');
    expect(await shop.getByTestId('slots').getByRole('button').count()).toBeGreaterThan(0);
    // The salon is closed on some day of the fortnight: that day says so before it is picked, and has no times.
    const full = days.filter({ hasText: 'No times' }).first();
    await full.click();
    await shop.locator(`fieldset[data-day="${await full.getAttribute('data-day')}"][aria-busy="false"]`).waitFor();
    expect(await shop.getByText(/^No free times on /).count()).toBe(1);

    // Keyboard: the day strip is one Tab stop; arrow keys move along it.
    expect(await days.evaluateAll((els) => els.filter((e) => (e as HTMLElement).tabIndex === 0).length)).toBe(1);
    await days.first().focus();
    await shop.keyboard.press('ArrowRight');
    expect(await shop.evaluate(() => document.activeElement?.getAttribute('data-day'))).toBe(
      await days.nth(1).getAttribute('data-day'),
    );
    await shop.keyboard.press('Enter');
    expect(await days.nth(1).getAttribute('aria-pressed')).toBe('true');
    // The first open day from there (the salon closes on some days).
    const slots = shop.getByTestId('slots').getByRole('button');
    for (let i = 1; i < (await days.count()); i++) {
      await days.nth(i).click();
      await shop
        .locator(`fieldset[data-day="${await days.nth(i).getAttribute('data-day')}"][aria-busy="false"]`)
        .waitFor();
      if ((await slots.count()) > 3) break;
    }
    expect(await slots.count()).toBeGreaterThan(3);
    expect(await shop.getByTestId('slots').getByRole('heading', { name: 'Morning' }).count()).toBe(1);
    expect(await slots.evaluateAll((els) => els.filter((e) => (e as HTMLElement).tabIndex === 0).length)).toBe(1);

    // Touch: the last time of the day, far down the list; the choice and Book stay on screen.
    const last = slots.last();
    await last.tap();
    const box = await bar.getByRole('button', { name: 'Book Haircut' }).boundingBox();
    expect(box && box.y >= 0 && box.y + box.height <= 844).toBe(true);
    expect(await bar.textContent()).toMatch(/Haircut/);
    expect(await smallTapTargets(shop), 'booking flow tap targets').toEqual([]);
    await a11y(shop, 'customer: phone booking flow');
    await shot(shop, '07-phone-book-bar');

    // Someone else books that very time: it disappears at once and the bar says why.
    const startAt = (await last.getAttribute('data-start'))!;
    const resourceId = (await last.getAttribute('data-resource'))!;
    await bookOverApi('alice@example.test', { startAt, resourceId });
    await bar.getByText(/was just taken\. Please pick another time\./).waitFor();
    expect(await bar.getByRole('button', { name: 'Book Haircut' }).isDisabled()).toBe(true);
    expect(await shop.locator(`[data-start="${startAt}"][data-resource="${resourceId}"]`).count()).toBe(0);
    await shot(shop, '08-phone-time-taken');
    await phone.close();
  });

  it('at the desk: focus after sign-in, new requests read out and counted in the title, a word after signing out elsewhere', async () => {
    const desk = await stack.browser.newContext({ ...DESK, timezoneId: 'Europe/Berlin' });
    const page = await desk.newPage();
    await page.goto(`${stack.url}/`);
    await page.getByLabel('Email').fill('owner@studio-mira.test');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'do not match' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('alert');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Schedule' }).waitFor();
    await expect
      .poll(async () => page.evaluate(() => document.activeElement?.tagName === 'H1'), {
        message: 'the heading to take focus',
        timeout: 15_000,
      })
      .toBe(true);
    await expect
      .poll(async () => /^Live/.test((await page.getByTestId('connection-status').textContent()) ?? ''), {
        message: 'Live',
        timeout: 15_000,
      })
      .toBe(true);
    const announcer = page.getByTestId('announcer');
    expect(await announcer.count()).toBe(1);
    const titleBefore = await page.title();

    // A customer books (over the API): the live region says so and the title counts it.
    await bookOverApi('bob@example.test');
    await expect
      .poll(async () => /New booking request/i.test((await announcer.textContent()) ?? ''), {
        message: 'the request to be read out',
        timeout: 15_000,
      })
      .toBe(true);
    await expect
      .poll(async () => /^\(\d+\) /.test(await page.title()), {
        message: 'the unread count in the title',
        timeout: 15_000,
      })
      .toBe(true);
    expect((await page.title()).replace(/^\(\d+\) /, '')).toBe(titleBefore.replace(/^\(\d+\) /, ''));
    await a11y(page, 'staff: schedule with announcer');

    // Signing out in another tab: this one says why it is back at the sign-in page.
    const other = await desk.newPage();
    await other.goto(`${stack.url}/bookings`);
    await other.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Slotcast' }).waitFor();
    await page.getByText(/signed out (in|from) another tab/).waitFor();
    await shot(page, '09-signed-out-elsewhere');
    await desk.close();
  });

  it('staff move a booking while the day fills up: a time taken meanwhile leaves the form at once, with a word', async () => {
    const desk = await stack.browser.newContext({ ...DESK, timezoneId: 'Europe/Berlin' });
    const booking = await bookOverApi('bob@example.test');
    const staff = await signedIn(desk, 'staff@studio-mira.test', `/bookings/${booking.id}`);
    await staff.getByRole('heading', { level: 1, name: /^Haircut/ }).waitFor();
    await staff.getByRole('button', { name: 'Reschedule' }).click();
    const times = staff.locator('.slot-choice input[type="radio"]');
    await times.first().waitFor();
    const pick = times.first();
    const startAt = (await pick.getAttribute('value'))!;
    await pick.check();
    await bookOverApi('alice@example.test', { startAt, resourceId: booking.resourceId });
    const lost = staff.getByRole('status').filter({ hasText: 'was just taken by someone else' });
    await lost.waitFor();
    expect(await staff.locator(`.slot-choice input[value="${startAt}"]`).count()).toBe(0);
    expect(await staff.getByRole('button', { name: 'Move booking' }).isDisabled()).toBe(true);
    expect(await lost.isVisible()).toBe(true);
    await a11y(staff, 'staff: reschedule form');
    await shot(staff, '10-staff-reschedule-taken');
    await desk.close();
  });

  it('on a phone, reconnecting keeps the header on one row and ends as soon as the page is shown again or the server answers', async () => {
    const phone = await stack.browser.newContext({ ...PHONE, timezoneId: 'Europe/London' });
    // A reconnect after a WebSocket connection may open a WebSocket directly, which page.route does not see: while
    // the socket is cut, WebSockets are accepted and closed at once (the SDK counts each as a failed attempt).
    // Routed before the page loads: Playwright routes the WebSockets of documents that load after.
    let socketCut = false;
    await phone.routeWebSocket(/\/socket\.io\//, (ws) => (socketCut ? void ws.close() : ws.connectToServer()));
    const page = await signedIn(phone, 'alice@example.test');
    const status = page.getByTestId('connection-status');
    const headerRow = page.locator('.app-header .header-row').first();
    const oneRow = async () => ((await headerRow.boundingBox())?.height ?? 0) <= 56;
    expect(await oneRow()).toBe(true);

    const restoreSocket = async () => {
      socketCut = false;
      await page.unroute('**/socket.io/**');
    };

    /**
     * Cuts the socket (and, unless `probe`, the health probe), drops the connection, and waits until the page is
     * waiting out a back-off of at least `seconds`; returns when that retry is due (page clock).
     */
    const waitingLong = async (seconds: number, probe: boolean) => {
      socketCut = true;
      await page.route('**/socket.io/**', (route) => route.abort());
      if (!probe) await page.route('**/healthz', (route) => route.abort());
      await phone.setOffline(true);
      await phone.setOffline(false);
      let dueAt = 0;
      await expect
        .poll(
          async () => {
            const m = /next try in (\d+) s/.exec((await status.textContent()) ?? '');
            if (!m || Number(m[1]) < seconds) return false;
            dueAt = (await page.evaluate(() => Date.now())) + Number(m[1]) * 1000;
            return true;
          },
          { message: `a back-off of ${seconds} s or more`, timeout: 60_000 },
        )
        .toBe(true);
      expect(await oneRow(), 'the header stays on one row while reconnecting').toBe(true);
      return dueAt;
    };
    const liveAt = async () => {
      await expect
        .poll(async () => /^Live/.test((await status.textContent()) ?? ''), { message: 'Live', timeout: 60_000 })
        .toBe(true);
      return page.evaluate(() => Date.now());
    };

    // Shown again (tab switched back, phone unlocked): it retries now, not when the timer says.
    let dueAt = await waitingLong(6, false);
    await shot(page, '11-phone-reconnecting');
    await restoreSocket();
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    expect(await liveAt()).toBeLessThan(dueAt);
    await page.unroute('**/healthz');

    // The server answers its health probe again: same.
    dueAt = await waitingLong(6, true);
    await restoreSocket();
    expect(await liveAt()).toBeLessThan(dueAt);
    await phone.close();
  });

  it('someone else’s booking link and a mistyped address lead to “not found”, with HTTP 404 for the address', async () => {
    const phone = await stack.browser.newContext({ ...PHONE, timezoneId: 'Europe/London' });
    const res = await fetch(`${stack.url}/no-such-page`);
    expect(res.status).toBe(404);
    const bob = await signedIn(phone, 'bob@example.test', '/no-such-page');
    await bob.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    await a11y(bob, 'not found');
    expect(await smallTapTargets(bob), 'not-found tap targets').toEqual([]);
    await shot(bob, '06-not-found');
    await bob.goto(`${stack.url}/bookings/00000000-0000-4000-8000-000000000000`);
    await bob.getByRole('heading', { level: 1, name: 'No such booking' }).waitFor();
    await bob.getByRole('link', { name: 'Go to the start page' }).click();
    await bob.getByRole('heading', { name: 'Book an appointment' }).waitFor();
    await phone.close();
  });
});
