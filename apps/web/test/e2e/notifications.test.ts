import type { Booking, Notification, PushPayload } from '@slotcast/protocol';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulateVisibility, setHidden } from './support/phone.js';
import { chromiumOrSkip, WebStack } from './support/web-stack.js';

const available = chromiumOrSkip('the notifications end-to-end suite');

/** Permission denied, no double show, local notifications, the history screen: the customer's side of push. */
describe.skipIf(!available)('notifications on the customer’s phone in Chromium', () => {
  let stack: WebStack;
  let owner: string;
  let dayOffset = 2;

  /** Free start times at the salon, on days no other test uses: the first is booked by `book`. */
  let spare: string[] = [];
  /** A new booking request of `customer` at the salon, on a day no other test uses. */
  const book = async (customer: string): Promise<Booking> => {
    const free = await stack.salonSlots(dayOffset);
    dayOffset += 8;
    spare = free.starts.slice(1);
    return stack.requestBooking(customer, free);
  };

  /** A phone-sized context, signed in as `email`, with the service worker's registration id for CDP. */
  const phone = async (
    email: string,
    opts: { permission: 'granted' | 'denied'; hidden?: boolean },
  ): Promise<{ context: BrowserContext; page: Page; cdp: CDPSession; registrationId: string }> => {
    const context = await stack.browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const { targetInfo } = await cdp.send('Target.getTargetInfo');
    const browserCdp = await stack.browser.newBrowserCDPSession();
    await browserCdp.send('Browser.setPermission', {
      origin: stack.url,
      browserContextId: targetInfo.browserContextId,
      permission: { name: 'notifications' },
      setting: opts.permission,
    });
    // Kept attached: Chromium drops a session's permission overrides when it detaches.
    context.once('close', () => void browserCdp.detach().catch(() => {}));
    // Headless Chromium never hides a tab: visibility is emulated (the socket stays live: push is not subscribed).
    await emulateVisibility(context);
    const registered = new Promise<string>((resolve) =>
      cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
        const r = registrations.find((x) => x.scopeURL === `${stack.url}/` && !x.isDeleted);
        if (r) resolve(r.registrationId);
      }),
    );
    await cdp.send('ServiceWorker.enable');
    await stack.signIn(page, email);
    return { context, page, cdp, registrationId: await registered };
  };

  const shown = (page: Page) =>
    page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      return (await reg.getNotifications()).map((n) => ({ title: n.title, tag: n.tag }));
    });

  const payloadFor = (n: Notification): PushPayload => ({
    v: 1,
    id: n.id,
    eventId: 1,
    bookingId: n.bookingId,
    category: n.category,
    title: n.title,
    body: n.body,
    url: `/bookings/${n.bookingId}`,
    actions: [],
  });

  beforeAll(async () => {
    stack = await WebStack.start({ name: 'notifications' });
    owner = await stack.login('owner@studio-mira.test');
  }, 240_000);

  afterAll(() => stack?.stop());

  it('with notifications blocked, explains so and keeps showing changes live', async () => {
    const alice = await stack.login('alice@example.test');
    const booking = await book(alice);
    const { context, page } = await phone('alice@example.test', { permission: 'denied' });
    await page.goto(`${stack.url}/bookings`);
    await expect(page.getByTestId('push-denied').textContent()).resolves.toContain('Notifications are off');
    expect(await page.getByRole('button', { name: /enable notifications/i }).count()).toBe(0);
    const card = page.locator(`[data-booking-id="${booking.id}"]`);
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 15_000 }).toBe('requested');
    await stack.api<Booking>('POST', `/bookings/${booking.id}/confirm`, owner, { version: booking.version });
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 15_000 }).toBe('confirmed');
    expect(await shown(page)).toEqual([]);
    await context.close();
  });

  it('shows no push while the app is in front (its socket showed it); hidden with a live socket, shows it at once and not again for the push', async () => {
    const bob = await stack.login('bob@example.test');
    const booking = await book(bob);
    const { context, page, cdp, registrationId } = await phone('bob@example.test', { permission: 'granted' });
    // A page the worker controls: it installs while the first page loads and, on a busy machine, may finish after
    // the next navigation has started.
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.goto(`${stack.url}/bookings`);
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    const card = page.locator(`[data-booking-id="${booking.id}"]`);
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 15_000 }).toBe('requested');
    const deliver = (p: PushPayload) =>
      cdp.send('ServiceWorker.deliverPushMessage', { origin: stack.url, registrationId, data: JSON.stringify(p) });

    // In front: the worker hands the push to the window (the sentinel that it was handled) and shows nothing.
    await stack.api<Booking>('POST', `/bookings/${booking.id}/confirm`, owner, { version: booking.version });
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 15_000 }).toBe('confirmed');
    // The notifications worker writes the confirmation's notification after the booking changed (the card may flip
    // first): wait until it exists and this page has it (its unread count in the title), or it could reach the page
    // after the page is hidden below and be shown there as a local notification of its own.
    let confirmed!: Notification;
    let unread = 0;
    await expect
      .poll(
        async () => {
          const page1 = await stack.api<{ items: Notification[]; unreadCount: number }>(
            'GET',
            '/notifications?limit=1',
            bob,
          );
          confirmed = page1.items[0]!;
          unread = page1.unreadCount;
          return `${confirmed.bookingId} ${confirmed.title}`;
        },
        { timeout: 15_000 },
      )
      .toBe(`${booking.id} Booking confirmed`);
    await expect.poll(() => page.title(), { timeout: 15_000 }).toMatch(new RegExp(`^\\(${unread}\\) `));
    // Listening before the push is delivered, so the hand-over cannot come first.
    await page.evaluate(() => {
      const w = window as unknown as { __handed: string[] };
      w.__handed = [];
      navigator.serviceWorker.addEventListener(
        'message',
        (e: MessageEvent<{ type: string; payload?: { id: string } }>) => {
          if (e.data?.type === 'slotcast:push') w.__handed.push(e.data.payload?.id ?? '');
        },
      );
      navigator.serviceWorker.startMessages();
    });
    await deliver(payloadFor(confirmed));
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { __handed: string[] }).__handed), { timeout: 15_000 })
      .toEqual([confirmed.id]);
    expect(await shown(page)).toEqual([]);

    // Hidden, socket still live (no push subscription on this device): the change shows as a notification at once.
    await setHidden(page, true);
    await stack.api<Booking>('POST', `/bookings/${booking.id}/cancel`, owner, { version: booking.version + 1 });
    await expect
      .poll(() => shown(page), { timeout: 15_000 })
      .toEqual([{ title: 'Your booking was cancelled', tag: `booking-${booking.id}` }]);
    // Its push arrives later: not shown again. A newer push for the booking, delivered after it, proves it was
    // handled: the count goes to 2, not 3.
    // The worker asks the browser whether a window is visible, which the emulation cannot fool: leave the app.
    const cancelled = (await stack.api<{ items: Notification[] }>('GET', '/notifications?limit=1', bob)).items[0]!;
    expect(cancelled.title).toBe('Your booking was cancelled');
    await page.goto('about:blank');
    await deliver(payloadFor(cancelled));
    await deliver({ ...payloadFor(cancelled), id: crypto.randomUUID(), title: 'Booking note' });
    const look = async () => {
      const viewer = await context.newPage();
      await viewer.goto(`${stack.url}/`);
      const list = await shown(viewer);
      await viewer.close();
      return list;
    };
    await expect
      .poll(look, { timeout: 15_000 })
      .toEqual([{ title: '2 updates · Booking note', tag: `booking-${booking.id}` }]);
    await context.close();
  });

  it('lists the history by day and by booking, older ones on "Load older", each booking linking to its page', async () => {
    const alice = await stack.login('alice@example.test');
    const first = await book(alice);
    const second = await book(alice);
    await stack.api<Booking>('POST', `/bookings/${first.id}/confirm`, owner, { version: first.version });
    await stack.api<Booking>('POST', `/bookings/${second.id}/decline`, owner, { version: second.version });
    await stack.api<Booking>('POST', `/bookings/${first.id}/cancel`, owner, { version: first.version + 1 });
    // Then more than a page (50) of newer ones: a third booking moved back and forth.
    let third = await book(alice);
    const [a, b] = [third.startAt, spare[0]!];
    third = await stack.api<Booking>('POST', `/bookings/${third.id}/confirm`, owner, { version: third.version });
    for (let i = 0; i < 50; i++) {
      third = await stack.api<Booking>('POST', `/bookings/${third.id}/reschedule`, owner, {
        version: third.version,
        startAt: i % 2 === 0 ? b : a,
      });
    }
    const { context, page } = await phone('alice@example.test', { permission: 'granted' });
    await page.getByRole('link', { name: 'Notifications', exact: true }).first().click();
    await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    const today = page.getByTestId('history-day').first();
    await today.getByText('Your booking was moved').first().waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('history-day').count()).toBe(1);
    expect(await today.getByText('Your booking was cancelled').count()).toBe(0);
    await page.getByRole('button', { name: 'Load older' }).click();
    await today.getByText('Your booking was cancelled').waitFor({ timeout: 15_000 });
    // One card per booking: the first booking's two changes together, the second's apart.
    const cardOf = (id: string) => today.locator('article').filter({ has: page.locator(`a[href="/bookings/${id}"]`) });
    const firstItems = await cardOf(first.id).getByRole('listitem').allTextContents();
    expect(firstItems).toHaveLength(2);
    expect(firstItems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Your booking was cancelled'),
        expect.stringContaining('Booking confirmed'),
      ]),
    );
    expect(await cardOf(second.id).getByRole('listitem').allTextContents()).toEqual([
      expect.stringContaining('Booking declined'),
    ]);
    await cardOf(second.id).getByRole('link', { name: 'Open the booking' }).click();
    await expect.poll(() => page.url()).toBe(`${stack.url}/bookings/${second.id}`);
    await context.close();
  });
});
