import type { SlotcastClient } from '@slotcast/client';
import type { BrowserContext, Page } from 'playwright-core';
import type { WebStack } from './web-stack.js';

/**
 * As a customer on the start page: books the first free Haircut at the demo's Studio Mira from tomorrow on, the way a
 * person does (vendor, service, day strip, first slot, Book), and returns the day booked (`YYYY-MM-DD`).
 */
export async function bookFirstHaircut(page: Page): Promise<string> {
  await page.getByRole('link', { name: 'Studio Mira Hair' }).click();
  await page.getByRole('radio', { name: /Haircut/ }).check();
  const days = page.locator('.day-strip button');
  for (let i = 1; i < (await days.count()); i++) {
    const day = await days.nth(i).getAttribute('data-day');
    await days.nth(i).click();
    await page.locator(`fieldset[data-day="${day}"][aria-busy="false"]`).waitFor();
    const slots = page.getByTestId('slots').getByRole('button');
    if ((await slots.count()) === 0) continue;
    await slots.first().click();
    await page.getByRole('button', { name: 'Book Haircut' }).click();
    await page.getByRole('heading', { name: 'Booked at Studio Mira Hair' }).waitFor();
    return day!;
  }
  throw new Error('no free Haircut slot in the next two weeks');
}

/**
 * Three free Haircut start times at Studio Mira on one day, the first such day `fromDay` days from today or later,
 * far enough apart that booking one does not take the next (two bookings and a move), as `sdk`'s user sees them.
 */
export async function spacedHaircutSlots(
  sdk: SlotcastClient,
  fromDay = 1,
): Promise<{ resourceId: string; serviceId: string; starts: string[] }> {
  const vendor = (await sdk.api.vendors.list()).find((v) => v.name === 'Studio Mira Hair')!;
  const [resources, services] = await Promise.all([
    sdk.api.vendors.resources(vendor.id),
    sdk.api.vendors.services(vendor.id),
  ]);
  const service = services.find((s) => s.name.startsWith('Haircut'))!;
  const resource = resources[0]!;
  for (let d = fromDay; d < 14; d++) {
    const day = new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    const { slots } = await sdk.api.resources.availability(resource.id, { serviceId: service.id, from: day, to: day });
    const spaced = slots.filter((_, i) => i % 8 === 0).slice(0, 3);
    if (spaced.length === 3)
      return { resourceId: resource.id, serviceId: service.id, starts: spaced.map((s) => s.startAt) };
  }
  throw new Error('no day with three free Haircut slots in the next two weeks');
}

/**
 * `email` signed in at a desk in the demo vendor's zone (Europe/Berlin, as its owner is: "today" on the insights page
 * is the reader's local day), on the Insights page, with downloads allowed.
 */
export async function openInsights(stack: WebStack, email: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await stack.browser.newContext({
    viewport: { width: 1366, height: 900 },
    acceptDownloads: true,
    timezoneId: 'Europe/Berlin',
  });
  const page = await context.newPage();
  await stack.signIn(page, email);
  await page.getByRole('link', { name: 'Insights' }).click();
  await page.getByRole('heading', { name: 'Insights', level: 1 }).waitFor();
  return { context, page };
}
