import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnsubscribeTokens } from '../../../../packages/server/src/mail/unsubscribe-tokens.js';
import { recordCspViolations, seriousA11yViolations } from './support/browser.js';
import { webRoot } from './support/slotcast-process.js';
import { chromiumOrSkip, DEMO_PASSWORD, WebStack } from './support/web-stack.js';

const available = chromiumOrSkip('the preferences journey');

const SHOTS = path.join(webRoot, 'test-results');
const PHONE = {
  viewport: { width: 390, height: 844 },
  hasTouch: true,
  isMobile: true,
  reducedMotion: 'reduce' as const,
};
const ZONE = 'America/New_York';
// Saturday 7 March 2026, 10:00 in New York; clocks there go forward at 02:00 the next night.
const NOW = new Date('2026-03-07T15:00:00Z');
// 22:00 EST on Saturday and 07:00 EDT on Sunday: eight hours of wall clock, but 8 h apart only because of the change.
const QUIET_START = new Date('2026-03-08T03:00:00Z');
const QUIET_END = new Date('2026-03-08T11:00:00Z');

const inZone = (d: Date) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: ZONE,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(d);

/** Presses Tab until the focused element is the checkbox named `name`; fails after `max` presses. */
async function tabTo(page: Page, name: string, max = 120): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((n) => document.activeElement?.getAttribute('aria-label') === n, name)) return;
  }
  throw new Error(`${name} was not reached with ${max} presses of Tab`);
}

describe.skipIf(!available)('notification preferences in Chromium', () => {
  let stack: WebStack;

  beforeAll(async () => {
    stack = await WebStack.start({ name: 'prefs' });
    mkdirSync(SHOTS, { recursive: true });
  }, 300_000);
  afterAll(() => stack?.stop());

  const a11y = async (page: Page, name: string) => {
    const violations = await seriousA11yViolations(page);
    expect(violations, `${name}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
  };

  it('a customer on her phone turns a cell off by keyboard, sets quiet hours with a DST-aware preview and reminder times, and finds them saved after a reload', async () => {
    const ctx = await stack.browser.newContext(PHONE);
    const page = await ctx.newPage();
    // The page's clock only (the server keeps real time): the preview is computed from Date.now in the stack.browser.
    await page.clock.setFixedTime(NOW);
    await page.goto(`${stack.url}/settings/notifications`);
    await page.getByLabel('Email').fill('alice@example.test');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const matrix = page.getByRole('table', { name: 'How each kind of notification reaches you' });
    await matrix.waitFor();

    // Every cell of the matrix has a name of its own that says kind and channel.
    const names = [...(await matrix.ariaSnapshot()).matchAll(/- checkbox "([^"]+)"/g)].map((m) => m[1]!);
    expect(names).toHaveLength(9 * 3);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/ by (In the app|Push|Email)$/);
    await a11y(page, 'preferences, as loaded');

    // Keyboard only: Tab to the cell, Space to switch it.
    const cell = page.getByRole('checkbox', { name: 'Reminder by Email' });
    expect(await cell.isChecked()).toBe(true);
    await tabTo(page, 'Reminder by Email');
    await page.keyboard.press('Space');
    await page.getByRole('status').filter({ hasText: 'Reminder: Email off' }).waitFor();
    expect(await cell.isChecked()).toBe(false);

    // Quiet hours every night, 22:00–07:00 in New York: the preview crosses the start of daylight saving time.
    const quietOn = page.getByRole('group', { name: 'Quiet on' });
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'])
      await quietOn.getByRole('checkbox', { name: day }).check();
    await page.getByLabel('From').fill('22:00');
    await page.getByLabel('Until').fill('07:00');
    await page.getByLabel('Time zone').fill(ZONE);
    const preview = `Next quiet period: ${inZone(QUIET_START)} – ${inZone(QUIET_END)} (${ZONE})`;
    expect(preview).toBe('Next quiet period: Sat 7 Mar, 22:00 – Sun 8 Mar, 07:00 (America/New_York)');
    await page.getByText(preview).waitFor();
    await page.getByRole('button', { name: 'Save quiet hours' }).click();
    await page.getByRole('status').filter({ hasText: 'Quiet hours saved' }).waitFor();

    // Reminders: her own times instead of the business's.
    await page.getByRole('checkbox', { name: 'Use the times the business suggests' }).uncheck();
    const remind = page.getByRole('group', { name: 'Remind me' });
    await remind.getByRole('checkbox', { name: '2 hours before' }).uncheck();
    await remind.getByRole('checkbox', { name: '30 minutes before' }).check();
    await page.getByRole('button', { name: 'Save reminder times' }).click();
    await page.getByRole('status').filter({ hasText: 'Reminder times saved' }).waitFor();
    await a11y(page, 'preferences, changed');
    await page.screenshot({ path: path.join(SHOTS, 'preferences-phone.png'), fullPage: true });

    await page.reload();
    await matrix.waitFor();
    expect(await page.getByRole('checkbox', { name: 'Reminder by Email' }).isChecked()).toBe(false);
    expect(await page.getByRole('checkbox', { name: 'Reminder by Push' }).isChecked()).toBe(true);
    for (const day of ['Monday', 'Sunday'])
      expect(await quietOn.getByRole('checkbox', { name: day }).isChecked()).toBe(true);
    expect(await page.getByLabel('Time zone').inputValue()).toBe(ZONE);
    expect(await page.getByLabel('From').inputValue()).toBe('22:00');
    await page.getByText(preview).waitFor();
    expect(await page.getByRole('checkbox', { name: 'Use the times the business suggests' }).isChecked()).toBe(false);
    expect(await remind.getByRole('checkbox', { name: '1 day before' }).isChecked()).toBe(true);
    expect(await remind.getByRole('checkbox', { name: '30 minutes before' }).isChecked()).toBe(true);
    expect(await remind.getByRole('checkbox', { name: '2 hours before' }).isChecked()).toBe(false);
    await ctx.close();
  });

  it('the unsubscribe link of a mail asks first, then turns that category’s email off, with nothing for axe or the CSP', async () => {
    const login = await fetch(`${stack.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bob@example.test', password: DEMO_PASSWORD }),
    });
    const { user, accessToken } = (await login.json()) as { user: { id: string }; accessToken: string };
    // The link a mail would carry, signed with this node's secret (development keeps it in DATA_DIR).
    const secret = readFileSync(path.join(stack.tmp, 'data', 'jwt-secret'), 'utf8').trim();
    const token = await new UnsubscribeTokens(secret).sign({ userId: user.id, category: 'cancellation' });
    const emailOn = async () => {
      const res = await fetch(`${stack.url}/api/v1/me/notification-preferences`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      return ((await res.json()) as { effective: Record<string, { email: boolean }> }).effective.cancellation!.email;
    };
    expect(await emailOn()).toBe(true);

    const ctx = await stack.browser.newContext(PHONE);
    const csp: string[] = [];
    recordCspViolations(ctx, csp);
    const page = await ctx.newPage();
    await page.goto(`${stack.url}/api/v1/mail/unsubscribe?token=${token}`);
    await page.getByRole('heading', { name: 'Stop these emails?' }).waitFor();
    await a11y(page, 'unsubscribe: confirm');
    expect(await emailOn()).toBe(true);

    await page.getByRole('button', { name: 'Stop these emails' }).click();
    await page.getByRole('heading', { name: 'You are unsubscribed' }).waitFor();
    expect(await page.getByText('You will no longer get emails about cancellations.').count()).toBe(1);
    await a11y(page, 'unsubscribe: done');
    expect(await emailOn()).toBe(false);
    expect(csp).toEqual([]);
    await ctx.close();
  });
});
