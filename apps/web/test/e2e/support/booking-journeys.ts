import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { seriousA11yViolations } from './browser.js';
import { webRoot } from './slotcast-process.js';
import { DEMO_PASSWORD, WebStack } from './web-stack.js';

const SHOTS = path.join(webRoot, 'test-results');

/** A customer's phone: touch, and no animations to wait for. */
export const PHONE = {
  viewport: { width: 390, height: 844 },
  hasTouch: true,
  isMobile: true,
  reducedMotion: 'reduce' as const,
};

/** A staff member's desk. */
export const DESK = { viewport: { width: 1366, height: 900 } };

/** Visible controls smaller than 44×44 CSS px (a checkbox or radio counts by the label that wraps it). */
export function smallTapTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const controls = document.querySelectorAll<HTMLElement>('a[href], button, select, input, textarea, summary');
    for (const el of controls) {
      const target = el instanceof HTMLInputElement && el.closest('label') ? el.closest('label')! : el;
      const r = target.getBoundingClientRect();
      const style = getComputedStyle(target);
      // Off-screen until focused (the skip link) or not rendered: not a tap target.
      if (r.width === 0 || r.height === 0 || r.bottom < 0 || style.visibility === 'hidden') continue;
      if (r.width < 44 || r.height < 44) {
        out.push(
          `${target.tagName.toLowerCase()} "${(target.textContent ?? '').trim().slice(0, 30)}" ${r.width.toFixed(0)}×${r.height.toFixed(0)}`,
        );
      }
    }
    return out;
  });
}

/** What a journey suite does around its one stack: sign people in, book over the API, check and photograph pages. */
export interface BookingJourneys {
  /** The suite's server and browser (started before its first test). */
  readonly stack: WebStack;
  /** A full-page screenshot in `apps/web/test-results/people-<name>.png`. */
  shot(page: Page, name: string): Promise<Buffer>;
  /** Fails with the serious and critical axe-core violations on `page`, if any. */
  a11y(page: Page, name: string): Promise<void>;
  /** A new page of `ctx` with `email` signed in at `at`, once its connection is live. */
  signedIn(ctx: BrowserContext, email: string, at?: string): Promise<Page>;
  /**
   * As a customer, over the API: books a Haircut at Studio Mira at `at`, or at the last free time of the week that
   * starts three days from now.
   */
  bookOverApi(
    email: string,
    at?: { startAt: string; resourceId: string },
  ): Promise<{ id: string; startAt: string; resourceId: string }>;
}

/**
 * One server with the demo data and one Chromium for the calling `describe`, started before its first test and
 * stopped after its last; `name` names its temporary folder.
 */
export function bookingJourneys(name: string): BookingJourneys {
  let stack: WebStack | undefined;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    stack = await WebStack.start({ name });
  });
  afterAll(() => stack?.stop());

  const started = () => {
    if (!stack) throw new Error('the stack is used before it started');
    return stack;
  };

  return {
    get stack() {
      return started();
    },

    shot: (page, shotName) => page.screenshot({ path: path.join(SHOTS, `people-${shotName}.png`), fullPage: true }),

    async a11y(page, pageName) {
      const violations = await seriousA11yViolations(page);
      expect(violations, `${pageName}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
    },

    async signedIn(ctx, email, at = '/') {
      const page = await ctx.newPage();
      await page.goto(`${started().url}${at}`);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      await expect
        .poll(async () => /^Live/.test((await page.getByTestId('connection-status').textContent()) ?? ''), {
          message: 'Live',
          timeout: 15_000,
        })
        .toBe(true);
      return page;
    },

    async bookOverApi(email, at) {
      const url = started().url;
      const json = async <T>(p: string, init?: RequestInit) =>
        (await fetch(`${url}/api/v1${p}`, init)).json() as Promise<T>;
      const { accessToken } = await json<{ accessToken: string }>('/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: DEMO_PASSWORD }),
      });
      const vendors = await json<{ id: string; name: string }[]>('/vendors');
      const salon = vendors.find((v) => v.name === 'Studio Mira Hair')!;
      const services = await json<{ id: string; name: string; resourceIds: string[] }[]>(
        `/vendors/${salon.id}/services`,
      );
      const haircut = services.find((x) => x.name === 'Haircut')!;
      let target = at;
      if (!target) {
        const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
        const resourceId = haircut.resourceIds[0]!;
        const free = await json<{ slots: { startAt: string }[] }>(
          `/resources/${resourceId}/availability?serviceId=${haircut.id}&from=${day(3)}&to=${day(10)}`,
        );
        target = { resourceId, startAt: free.slots.at(-1)!.startAt };
      }
      const res = await fetch(`${url}/api/v1/bookings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
        body: JSON.stringify({ ...target, serviceId: haircut.id }),
      });
      expect(res.status).toBe(201);
      return (await res.json()) as { id: string; startAt: string; resourceId: string };
    },
  };
}
