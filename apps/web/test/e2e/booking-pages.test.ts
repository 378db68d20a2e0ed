import { describe, expect, it } from 'vitest';
import { bookingJourneys, DESK, PHONE, smallTapTargets } from './support/booking-journeys.js';
import { bookFirstHaircut } from './support/demo-flows.js';
import { chromiumOrSkip } from './support/web-stack.js';

const available = chromiumOrSkip('the booking-page journeys');

describe.skipIf(!available)('booking pages, people and not-found pages in Chromium', () => {
  const journeys = bookingJourneys('people');
  const { shot, a11y, signedIn, bookOverApi } = journeys;

  it('a customer shares her phone and books; staff see who booked, open it from the notification and confirm; she follows it on its page and moves it', async () => {
    const phone = await journeys.stack.browser.newContext({ ...PHONE, timezoneId: 'America/New_York' });
    const desk = await journeys.stack.browser.newContext({ ...DESK, timezoneId: 'Europe/Berlin' });

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
    await staff.goto(`${journeys.stack.url}${bookingUrl}`);

    // She opens the same page on her phone: confirmed, with who did what, and the vendor's rules.
    await shop.goto(`${journeys.stack.url}${bookingUrl}`);
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

  it('staff move a booking while the day fills up: a time taken meanwhile leaves the form at once, with a word', async () => {
    const desk = await journeys.stack.browser.newContext({ ...DESK, timezoneId: 'Europe/Berlin' });
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

  it('someone else’s booking link and a mistyped address lead to “not found”, with HTTP 404 for the address', async () => {
    const phone = await journeys.stack.browser.newContext({ ...PHONE, timezoneId: 'Europe/London' });
    const res = await fetch(`${journeys.stack.url}/no-such-page`);
    expect(res.status).toBe(404);
    const bob = await signedIn(phone, 'bob@example.test', '/no-such-page');
    await bob.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    await a11y(bob, 'not found');
    expect(await smallTapTargets(bob), 'not-found tap targets').toEqual([]);
    await shot(bob, '06-not-found');
    await bob.goto(`${journeys.stack.url}/bookings/00000000-0000-4000-8000-000000000000`);
    await bob.getByRole('heading', { level: 1, name: 'No such booking' }).waitFor();
    await bob.getByRole('link', { name: 'Go to the start page' }).click();
    await bob.getByRole('heading', { name: 'Book an appointment' }).waitFor();
    await phone.close();
  });

  it('a phone whose clock runs 45 minutes fast books and cancels without refreshing its session on every call', async () => {
    const phone = await journeys.stack.browser.newContext({ ...PHONE, timezoneId: 'America/New_York' });
    // Its access token (15 minutes) looks long expired by this clock; the server's own time is what counts.
    await phone.clock.install({ time: Date.now() + 45 * 60_000 });
    const refreshes: number[] = [];
    const refused: string[] = [];
    phone.on('response', (res) => {
      if (res.url().includes('/api/v1/auth/refresh')) refreshes.push(res.status());
      if (res.status() === 429 || res.status() === 401) refused.push(`${res.status()} ${res.url()}`);
    });
    const shop = await signedIn(phone, 'bob@example.test');
    await bookFirstHaircut(shop);
    await shop.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My bookings' }).click();
    const card = shop.getByTestId('my-bookings').locator('article[data-status="requested"]').first();
    await card.getByRole('button', { name: 'Cancel booking' }).click();
    await card.getByRole('button', { name: 'Yes, cancel it' }).click();
    await shop.getByTestId('my-bookings').locator('article[data-status="cancelled"]').first().waitFor();
    // Signed in moments ago by the server's clock: at most the start page's look for a session, nothing refused.
    expect(refreshes.length).toBeLessThanOrEqual(1);
    expect(refused.filter((r) => !r.includes('/api/v1/auth/refresh'))).toEqual([]);
    await phone.close();
  });
});
