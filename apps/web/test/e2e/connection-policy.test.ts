import type { Booking } from '@slotcast/protocol';
import type { Page, WebSocket } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatePushPhone, setHidden } from './support/phone.js';
import { chromiumOrSkip, WebStack } from './support/web-stack.js';

const available = chromiumOrSkip('the connection-policy end-to-end test');

describe.skipIf(!available)('battery-aware connection in Chromium', () => {
  let stack: WebStack;

  beforeAll(async () => {
    stack = await WebStack.start({ name: 'policy' });
  }, 240_000);

  afterAll(() => stack?.stop());

  it('closes the socket while hidden with push on, replays the missed change once when visible again; Refresh catches up', async () => {
    const alice = await stack.login('alice@example.test');
    const owner = await stack.login('owner@studio-mira.test');
    const booking = await stack.requestBooking(alice, await stack.salonSlots(2));
    expect(booking.status).toBe('requested');

    const context = await stack.browser.newContext({ viewport: { width: 390, height: 844 } });
    // The page's situation, as a phone would report it: headless Chromium has no push service to subscribe with
    // and never hides a tab, so the subscription and the visibility state are the two things emulated here.
    await emulatePushPhone(context, stack.url);
    const page: Page = await context.newPage();
    const sockets: WebSocket[] = [];
    page.on('websocket', (ws) => {
      sockets.push(ws);
    });
    await stack.signIn(page, 'alice@example.test');
    await page.goto(`${stack.url}/bookings`);
    // The sign-in document's socket went with that document; Playwright never reports it closed. Count this page's.
    sockets.length = 0;
    const card = page.locator(`[data-booking-id="${booking.id}"]`);
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 15_000 }).toBe('requested');
    await expect.poll(() => sockets.some((s) => !s.isClosed()), { timeout: 15_000 }).toBe(true);
    const openBefore = sockets.length;
    const unread = async () =>
      Number(/(\d+) unread/.exec((await page.getByTestId('notification-bell').getAttribute('aria-label')) ?? '')?.[1]);
    const unreadBefore = await unread();

    await setHidden(page, true);
    await expect
      .poll(() => sockets.every((s) => s.isClosed()), { message: 'the socket to close while hidden', timeout: 15_000 })
      .toBe(true);

    // Changed while the socket sleeps (push would tell the user now).
    await stack.api<Booking>('POST', `/bookings/${booking.id}/confirm`, owner, { version: booking.version });
    expect(await card.getAttribute('data-status')).toBe('requested');

    await setHidden(page, false);
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
    await setHidden(page, true);
    await expect.poll(() => sockets.every((s) => s.isClosed()), { timeout: 15_000 }).toBe(true);
    await stack.api<Booking>('POST', `/bookings/${booking.id}/cancel`, owner, { version: booking.version + 1 });
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 15_000 }).toBe('cancelled');
    expect(sockets.at(-1)!.isClosed()).toBe(false);
    await context.close();
  });

  it('a pull down on a phone reconnects and catches up My bookings and Notifications, saying so', async () => {
    const bob = await stack.login('bob@example.test');
    const owner = await stack.login('owner@studio-mira.test');
    const booking = await stack.requestBooking(bob, await stack.salonSlots(10));

    const context = await stack.browser.newContext({
      viewport: { width: 390, height: 844 },
      hasTouch: true,
      isMobile: true,
    });
    // As above: push "on" and a hidden page are emulated, so the policy closes the socket; the pull happens then.
    await emulatePushPhone(context, stack.url);
    const page: Page = await context.newPage();
    const sockets: WebSocket[] = [];
    page.on('websocket', (ws) => {
      sockets.push(ws);
    });
    await stack.signIn(page, 'bob@example.test');

    const sleepSocket = async () => {
      await expect.poll(() => sockets.some((s) => !s.isClosed()), { timeout: 15_000 }).toBe(true);
      await setHidden(page, true);
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
    await page.goto(`${stack.url}/bookings`);
    sockets.length = 0;
    const card = page.locator(`[data-booking-id="${booking.id}"]`);
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 15_000 }).toBe('requested');
    await sleepSocket();
    await stack.api<Booking>('POST', `/bookings/${booking.id}/confirm`, owner, { version: booking.version });
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
    await setHidden(page, false);
    await page.getByRole('link', { name: 'Notifications', exact: true }).first().click();
    await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    const history = page.locator('main');
    await history.getByText('Booking confirmed').first().waitFor({ timeout: 15_000 });
    await sleepSocket();
    await stack.api<Booking>('POST', `/bookings/${booking.id}/cancel`, owner, { version: booking.version + 1 });
    expect(await history.getByText('Your booking was cancelled').count()).toBe(0);
    await recordStatus();
    await pullDown();
    await history.getByText('Your booking was cancelled').first().waitFor({ timeout: 15_000 });
    await expect.poll(said, { timeout: 15_000 }).toContainEqual(expect.stringMatching(/^Up to date as of /));
    await context.close();
  });
});
