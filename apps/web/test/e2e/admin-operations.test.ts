import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousA11yViolations } from './support/browser.js';
import { bookFirstHaircut, openInsights } from './support/demo-flows.js';
import { chromiumOrSkip, WebStack } from './support/web-stack.js';

const available = chromiumOrSkip('the admin operations suite');

describe.skipIf(!available)('admin operations and vendor insights in Chromium', () => {
  let stack: WebStack;

  const socketsTotal = async (page: Page) => Number(await page.getByTestId('ops-sockets-total').textContent());
  /** The waiting requests the admin sees, by the booking id's first 8 characters as the table shows them. */
  const waitingIds = async (page: Page) =>
    (await page.getByTestId('ops-waiting').count())
      ? await page.getByTestId('ops-waiting').locator('tbody tr td:first-child code').allTextContents()
      : [];

  beforeAll(async () => {
    stack = await WebStack.start({
      name: 'ops',
      // Samples every second, so the view moves within the test's patience.
      env: () => ({ OPS_SAMPLE_INTERVAL_SECONDS: '1', NODE_ID: 'e2e-node' }),
    });
  });

  afterAll(() => stack?.stop());

  it('moves when a customer connects and books and the vendor confirms (two more browsers drive it); axe clean', async () => {
    const admin = await (await stack.browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
    await stack.signIn(admin, 'admin@slotcast.test');
    await admin.getByRole('link', { name: 'Operations' }).click();
    await admin.getByRole('heading', { name: 'Operations, live' }).waitFor();
    await admin.getByTestId('ops-summary').waitFor({ timeout: 15_000 });
    await expect.poll(() => socketsTotal(admin), { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
    const before = await socketsTotal(admin);
    await expect(admin.getByText('SlotcastOutboxLag: > 30 for 120s (critical)').count()).resolves.toBe(1);
    await expect(admin.getByTestId('ops-node-e2e-node').count()).resolves.toBe(1);
    const a11y = await seriousA11yViolations(admin);
    expect(a11y, JSON.stringify(a11y, null, 2)).toEqual([]);

    // A customer on a phone: one more socket, then her request at the end of the waiting list.
    const shop = await (await stack.browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await stack.signIn(shop, 'alice@example.test');
    await expect.poll(() => socketsTotal(admin), { timeout: 15_000 }).toBe(before + 1);

    const waitingBefore = await waitingIds(admin);
    await bookFirstHaircut(shop);
    await expect.poll(async () => (await waitingIds(admin)).length, { timeout: 15_000 }).toBe(waitingBefore.length + 1);
    const requested = (await waitingIds(admin)).filter((id) => !waitingBefore.includes(id));
    expect(requested).toHaveLength(1);

    // The vendor's desk: one more socket; confirming her request takes it off the admin's waiting list.
    const desk = await (await stack.browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
    await stack.signIn(desk, 'staff@studio-mira.test');
    await expect.poll(() => socketsTotal(admin), { timeout: 15_000 }).toBe(before + 2);
    await desk.getByRole('link', { name: 'Bookings' }).click();
    const row = desk.locator(`tr[data-booking-id^="${requested[0]}"]`);
    await row.getByRole('button').first().click();
    await desk.getByTestId('booking-panel').getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => waitingIds(admin), { timeout: 15_000 }).not.toContain(requested[0]);
    expect((await waitingIds(admin)).length).toBe(waitingBefore.length);
    const after = await seriousA11yViolations(admin);
    expect(after, JSON.stringify(after, null, 2)).toEqual([]);

    await shop.context().close();
    await desk.context().close();
    await expect.poll(() => socketsTotal(admin), { timeout: 15_000 }).toBe(before);
  });

  it('shows a vendor owner their heatmap with its table, the trends table view, passes axe, and downloads CSV', async () => {
    const { context, page: owner } = await openInsights(stack, 'owner@studio-mira.test');
    // The booking made in the previous test reaches the rollups through the analytics worker.
    await expect
      .poll(
        async () => {
          await owner.reload();
          return (await owner.getByTestId('heatmap-summary').textContent()) ?? '';
        },
        { timeout: 20_000 },
      )
      .toMatch(/^[1-9]\d* bookings made/);
    expect(owner.url()).toContain('/insights');
    const heatmap = owner.getByTestId('heatmap');
    await expect(heatmap.locator('tbody tr').count()).resolves.toBe(7);
    await expect(heatmap.locator('tbody tr').first().locator('td').count()).resolves.toBe(24);

    await owner.getByRole('button', { name: '7 days' }).click();
    await expect.poll(() => owner.url()).toContain('days=7');
    await owner.getByRole('button', { name: 'Show the chart as a table' }).click();
    await expect(owner.getByTestId('trends-table').locator('tbody tr').count()).resolves.toBe(7);
    const a11y = await seriousA11yViolations(owner);
    expect(a11y, JSON.stringify(a11y, null, 2)).toEqual([]);

    const [download] = await Promise.all([
      owner.waitForEvent('download'),
      owner.getByRole('button', { name: 'Download heatmap as CSV' }).click(),
    ]);
    const file = path.join(stack.tmp, 'heatmap.csv');
    await download.saveAs(file);
    const lines = readFileSync(file, 'utf8').trim().split('\r\n');
    expect(lines[0]).toBe('weekday,hour,count');
    expect(lines).toHaveLength(1 + 168);
    await context.close();
  });
});
