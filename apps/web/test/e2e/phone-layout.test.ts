import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumOrSkip, WebStack } from './support/web-stack.js';

const available = chromiumOrSkip('the phone layout end-to-end test');
const WIDTH = 390;

/**
 * What runs off the right edge of the screen: elements whose box ends past it and that are not inside something
 * that scrolls sideways on purpose (the navigation row, the day strip, a wide table's wrapper). Each as
 * `tag.class "text"`, so a failure says what to fix.
 */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate((width) => {
    const scrollsSideways = (el: Element | null): boolean => {
      for (let e = el?.parentElement ?? null; e && e !== document.body; e = e.parentElement) {
        const x = getComputedStyle(e).overflowX;
        if (x === 'auto' || x === 'scroll' || x === 'hidden' || x === 'clip') return true;
      }
      return false;
    };
    const out: string[] = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || r.right <= width + 1 || scrollsSideways(el)) continue;
      if (getComputedStyle(el).position === 'fixed' && r.left >= width) continue;
      const cls = typeof el.className === 'string' && el.className ? `.${el.className.split(' ')[0]}` : '';
      out.push(
        `${el.tagName.toLowerCase()}${cls} "${(el.textContent ?? '').trim().slice(0, 40)}" right=${Math.round(r.right)}`,
      );
    }
    // The innermost culprits are enough: drop ancestors whose own overflow is only their child's.
    return out.slice(-8);
  }, WIDTH);
}

describe.skipIf(!available)('every page on a 390 × 844 phone', () => {
  let stack: WebStack;

  beforeAll(async () => {
    stack = await WebStack.start({ name: 'phone-layout' });
  }, 240_000);

  afterAll(() => stack?.stop());

  it.each([
    ['a customer', 'alice@example.test'],
    ['a vendor owner', 'owner@studio-mira.test'],
    ['an admin', 'admin@slotcast.test'],
  ])('fits the screen’s width for %s, on every page of the main navigation', async (_who, email) => {
    const phone = await stack.browser.newContext({
      viewport: { width: WIDTH, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await phone.newPage();
    await stack.signIn(page, email);
    const nav = page.getByRole('navigation', { name: 'Main' });
    const labels = await nav.getByRole('link').allTextContents();
    expect(labels.length).toBeGreaterThan(2);
    const problems: Record<string, string[]> = {};
    const check = async (label: string) => {
      await page.locator('main h1').first().waitFor();
      // Let the page's data arrive: the first list or table, or its empty state, is what a user looks at.
      await page.waitForLoadState('networkidle');
      const found = await overflowing(page);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > WIDTH) found.push(`page ${width} px wide`);
      if (found.length > 0) problems[label] = found;
    };
    for (const label of labels) {
      await nav.getByRole('link', { name: label, exact: true }).click();
      await expect
        .poll(() => nav.getByRole('link', { name: label, exact: true }).getAttribute('aria-current'))
        .toBe('page');
      await check(label);
    }
    if (email === 'alice@example.test') {
      // The booking flow, with its times shown: the page a customer spends longest on.
      await nav.getByRole('link', { name: 'Book', exact: true }).click();
      await page.getByRole('link', { name: 'Studio Mira Hair' }).click();
      await page.getByRole('radio', { name: /Haircut/ }).check();
      await page.getByTestId('book-bar').waitFor();
      await check('a place');
      // Booked where bookings are confirmed at once, then its own page (status, what can be done, history).
      await nav.getByRole('link', { name: 'Book', exact: true }).click();
      await page.getByRole('link', { name: 'Riverside Tennis Club' }).click();
      await page.getByRole('radio', { name: /Court hour/ }).check();
      await page.getByTestId('slots').getByRole('button').first().click();
      await page
        .getByTestId('book-bar')
        .getByRole('button', { name: /^Book / })
        .click();
      await page.getByRole('link', { name: /Details, history and changes/ }).click();
      const timeline = page.getByTestId('timeline');
      await timeline.getByText('Booked by you, confirmed at once').waitFor();
      // The phone is in UTC, the club in New York: the history says in which zone its times are.
      await page.getByText('Times in America/New_York.').waitFor();
      await check('a booking');
    }
    expect(problems).toEqual({});
    await phone.close();
  });
});
