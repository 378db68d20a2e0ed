import type { Page } from 'playwright-core';

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
