import type { BrowserContext, Page } from 'playwright-core';

/**
 * What a phone reports that headless Chromium cannot: a page the OS hides and shows. Every page of `context` starts
 * visible; `setHidden` flips it and fires `visibilitychange` as the browser would.
 */
export async function emulateVisibility(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const w = window as unknown as { __hidden: boolean };
    w.__hidden = false;
    Object.defineProperty(Document.prototype, 'visibilityState', {
      configurable: true,
      get: () => (w.__hidden ? 'hidden' : 'visible'),
    });
  });
}

/**
 * A phone with push turned on, as far as the page can tell: notifications granted, a push subscription present
 * (headless Chromium has no push service to subscribe with), visibility emulated, and the connection policy closing a
 * hidden page's socket after 500 ms instead of its default, so a test sees it within its patience.
 */
export async function emulatePushPhone(context: BrowserContext, origin: string): Promise<void> {
  await context.grantPermissions(['notifications'], { origin });
  await emulateVisibility(context);
  await context.addInitScript(() => {
    PushManager.prototype.getSubscription = async () =>
      ({ endpoint: 'https://push.example.test/device' }) as unknown as PushSubscription;
    localStorage.setItem('slotcast:close-hidden-after-ms', '500');
  });
}

/** Hides or shows `page` (see `emulateVisibility`). */
export function setHidden(page: Page, hidden: boolean): Promise<void> {
  return page.evaluate((h) => {
    (window as unknown as { __hidden: boolean }).__hidden = h;
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}
