import { describe, expect, it } from 'vitest';
import { bookingJourneys, DESK, PHONE, smallTapTargets } from './support/booking-journeys.js';
import { chromiumOrSkip, DEMO_PASSWORD } from './support/web-stack.js';

const available = chromiumOrSkip('the phone and desk usability journeys');

describe.skipIf(!available)('booking by touch and keys, read-outs and reconnecting in Chromium', () => {
  const journeys = bookingJourneys('usability');
  const { shot, a11y, signedIn, bookOverApi } = journeys;

  it('on a phone, a customer picks a time by touch or keys; the Book bar stays in view and lets go of a time taken meanwhile', async () => {
    const phone = await journeys.stack.browser.newContext({ ...PHONE, timezoneId: 'America/New_York' });
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
    const desk = await journeys.stack.browser.newContext({ ...DESK, timezoneId: 'Europe/Berlin' });
    const page = await desk.newPage();
    await page.goto(`${journeys.stack.url}/`);
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
    await other.goto(`${journeys.stack.url}/bookings`);
    await other.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Slotcast' }).waitFor();
    await page.getByText(/signed out (in|from) another tab/).waitFor();
    await shot(page, '09-signed-out-elsewhere');
    await desk.close();
  });

  it('on a phone, reconnecting keeps the header on one row and ends as soon as the page is shown again or the server answers', async () => {
    const phone = await journeys.stack.browser.newContext({ ...PHONE, timezoneId: 'Europe/London' });
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
});
