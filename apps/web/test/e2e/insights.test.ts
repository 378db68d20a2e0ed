import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousA11yViolations } from './support/browser.js';
import { openInsights } from './support/demo-flows.js';
import { chromiumOrSkip, WebStack } from './support/web-stack.js';

const available = chromiumOrSkip('the insights suite');

describe.skipIf(!available)('insights in Chromium: engagement for admins, resources and lead times for owners', () => {
  let stack: WebStack;

  const download = async (page: Page, button: string, file: string) => {
    const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
    const to = path.join(stack.tmp, file);
    await d.saveAs(to);
    return readFileSync(to, 'utf8').trim().split('\r\n');
  };

  beforeAll(async () => {
    stack = await WebStack.start({
      name: 'insights',
      // The admin's own socket reaches the engagement figures within the test's patience.
      env: () => ({ ANALYTICS_ACTIVITY_FLUSH_SECONDS: '1' }),
    });
  });

  afterAll(() => stack?.stop());

  it('shows an admin engagement, socket activity and notifications with table views; axe clean; CSV downloads', async () => {
    const { context, page: admin } = await openInsights(stack, 'admin@slotcast.test');
    // The admin's own connection is counted once its node has flushed its activity.
    await expect
      .poll(
        async () => {
          await admin.reload();
          await admin.getByTestId('engagement-summary').waitFor();
          return (await admin.getByTestId('engagement-summary').textContent()) ?? '';
        },
        { timeout: 20_000 },
      )
      .toMatch(/Active on \d{4}-\d{2}-\d{2}: \d+ customers, \d+ staff, [1-9]\d* admins/);
    await expect(admin.getByTestId('sockets-heatmap').locator('tbody tr').count()).resolves.toBe(7);
    await expect(admin.getByTestId('sockets-summary').textContent()).resolves.toMatch(/^[1-9]\d* connections/);
    await admin.getByTestId('resources-table').waitFor();
    await admin.getByTestId('notifications-table').waitFor();

    await admin.getByRole('button', { name: 'Show the active users chart as a table' }).click();
    await expect(admin.getByTestId('engagement-table').locator('tbody tr').count()).resolves.toBe(30);
    const a11y = await seriousA11yViolations(admin);
    expect(a11y, JSON.stringify(a11y, null, 2)).toEqual([]);

    const active = await download(admin, 'Download active users as CSV', 'active.csv');
    expect(active[0]).toBe('day,customers,staff,admins,sessions,connections');
    expect(active).toHaveLength(1 + 30);
    expect(Number(active.at(-1)!.split(',')[3])).toBeGreaterThanOrEqual(1);
    const sockets = await download(admin, 'Download socket activity as CSV', 'sockets.csv');
    expect(sockets).toHaveLength(1 + 168);

    // The period is in the URL: a reload keeps it.
    await admin.getByRole('button', { name: '7 days' }).click();
    await expect.poll(() => admin.url()).toContain('days=7');
    await admin.reload();
    await admin.getByRole('button', { name: 'Show the active users chart as a table' }).click();
    await expect(admin.getByTestId('engagement-table').locator('tbody tr').count()).resolves.toBe(7);
    await context.close();
  });

  it('shows a vendor owner their resources and lead times, no engagement, axe clean; CSV downloads', async () => {
    const { context, page: owner } = await openInsights(stack, 'owner@studio-mira.test');
    await owner.getByTestId('vendor-insights-summary').waitFor();
    await expect(owner.getByTestId('lead-time-table').locator('tbody tr').count()).resolves.toBe(6);
    await expect(owner.getByRole('heading', { name: 'Engagement' }).count()).resolves.toBe(0);
    const a11y = await seriousA11yViolations(owner);
    expect(a11y, JSON.stringify(a11y, null, 2)).toEqual([]);

    const leads = await download(owner, 'Download lead times as CSV', 'leads.csv');
    expect(leads[0]).toBe('made_ahead,bookings');
    expect(leads).toHaveLength(1 + 6);
    const resources = await download(owner, 'Download resources as CSV', 'resources.csv');
    expect(resources[0]).toBe('resource,resource_id,held,made,cancelled,no_show');
    await context.close();
  });
});
