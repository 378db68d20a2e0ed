import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Booking, FrequencyReport, PushPayload } from '@slotcast/protocol';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import webpush from 'web-push';
import { loopbackCertificate } from '../../../../packages/server/test/support/push/tls.js';
import { WebPushService } from '../../../../packages/server/test/support/push/web-push-service.js';
import { chromiumOrSkip, WebStack } from './support/web-stack.js';

const available = chromiumOrSkip('the push end-to-end suite');

interface ShownNotification {
  title: string;
  body: string;
  tag: string;
  actions: { action: string; title: string }[];
  data: { id: string; url: string; count: number };
}

describe.skipIf(!available)('installable PWA and push in Chromium', () => {
  let stack: WebStack;
  let pushService: WebPushService;
  let context: BrowserContext;
  let page: Page;
  let cdp: CDPSession;
  let registrationId = '';
  const vapid = webpush.generateVAPIDKeys();

  const notifications = (p: Page) =>
    p.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      return (await reg.getNotifications()).map((n) => ({
        title: n.title,
        body: n.body,
        tag: n.tag,
        actions: (n as unknown as { actions: { action: string; title: string }[] }).actions,
        data: n.data,
      }));
    }) as Promise<ShownNotification[]>;
  const deliver = (payload: string) =>
    cdp.send('ServiceWorker.deliverPushMessage', { origin: stack.url, registrationId, data: payload });

  beforeAll(async () => {
    const tls = await loopbackCertificate();
    pushService = new WebPushService(tls, vapid.publicKey);
    await pushService.start();
    stack = await WebStack.start({
      name: 'push',
      // The server trusts the local push service's certificate as it trusts the real services' CAs.
      env: ({ tmp }) => {
        writeFileSync(path.join(tmp, 'push-ca.pem'), tls.cert);
        return {
          VAPID_PUBLIC_KEY: vapid.publicKey,
          VAPID_PRIVATE_KEY: vapid.privateKey,
          PUSH_ENDPOINT_HOSTS: '127.0.0.1',
          NODE_EXTRA_CA_CERTS: path.join(tmp, 'push-ca.pem'),
        };
      },
    });
    context = await stack.browser.newContext({ viewport: { width: 390, height: 844 } });
    await context.grantPermissions(['notifications'], { origin: stack.url });
    page = await context.newPage();
    cdp = await context.newCDPSession(page);
    const registered = new Promise<string>((resolve) =>
      cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
        const r = registrations.find((x) => x.scopeURL === `${stack.url}/` && !x.isDeleted);
        if (r) resolve(r.registrationId);
      }),
    );
    await cdp.send('ServiceWorker.enable');
    await page.goto(`${stack.url}/`);
    registrationId = await registered;
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
    await pushService?.close();
  });

  it('serves an installable manifest and registers the service worker', async () => {
    const res = await fetch(`${stack.url}/manifest.webmanifest`);
    expect(res.status).toBe(200);
    const manifest = (await res.json()) as {
      display: string;
      start_url: string;
      theme_color: string;
      icons: { src: string; sizes: string; type: string; purpose: string }[];
      shortcuts: { name: string; url: string }[];
    };
    expect(manifest).toMatchObject({ display: 'standalone', start_url: '/', theme_color: '#1d4ed8' });
    const png = manifest.icons.filter((i) => i.type === 'image/png');
    expect(png.map((i) => `${i.sizes} ${i.purpose}`)).toEqual(
      expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']),
    );
    for (const icon of png) {
      const img = await fetch(`${stack.url}${icon.src}`);
      expect(img.headers.get('content-type')).toBe('image/png');
      expect(
        Buffer.from(await img.arrayBuffer())
          .subarray(1, 4)
          .toString(),
      ).toBe('PNG');
    }
    expect(manifest.shortcuts).toEqual([expect.objectContaining({ name: 'My bookings', url: '/bookings' })]);
    expect(await page.locator('link[rel="manifest"]').getAttribute('href')).toBe('/manifest.webmanifest');
    const script = await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL);
    expect(script).toBe(`${stack.url}/service-worker.js`);
    expect(registrationId).not.toBe('');
  });

  it('shows a push as a notification per booking; its staff Confirm action confirms once; a click opens the booking', async () => {
    // A real push for the salon owner: a device registered with the server, a customer's request, the server's
    // encrypted push to the (local) push service, decrypted there as the browser would.
    const owner = await stack.login('owner@studio-mira.test');
    const device = pushService.register(pushService.device('owner-phone'));
    await stack.api('POST', '/push/subscriptions', owner, {
      provider: 'webpush',
      endpoint: device.endpoint,
      keys: device.keys,
    });
    const alice = await stack.login('alice@example.test');
    const booking = await stack.requestBooking(alice, await stack.salonSlots(2));
    await expect.poll(() => pushService.to('owner-phone').length, { timeout: 15_000 }).toBe(1);
    const payload = pushService.to('owner-phone')[0]!.payload;
    expect((JSON.parse(payload) as PushPayload).bookingId).toBe(booking.id);

    // No window of the app open (the CDP page is on about:blank): the service worker shows it.
    await page.goto('about:blank');
    const look = async () => {
      const viewer = await context.newPage();
      await viewer.goto(`${stack.url}/`);
      const list = await notifications(viewer);
      await viewer.close();
      return list;
    };
    await deliver(payload);
    await expect.poll(async () => (await look()).length, { timeout: 15_000 }).toBe(1);
    const shown: ShownNotification[] = await look();
    expect(shown[0]).toMatchObject({
      title: 'New booking request',
      tag: `booking-${booking.id}`,
      data: { url: `/bookings/${booking.id}`, count: 1 },
    });
    expect(shown[0]!.actions.map((a) => a.title)).toEqual(['Confirm', 'Decline']);

    // The same push again (a redelivery) is not shown twice, nor counted as an update.
    await deliver(payload);
    expect((await look()).map((n) => [n.title, n.data.count])).toEqual([['New booking request', 1]]);

    // Further changes of the same booking replace it and say how many there were ("3 updates").
    const again = (changes: Partial<PushPayload>) => JSON.stringify({ ...JSON.parse(payload), ...changes });
    await deliver(again({ id: crypto.randomUUID(), title: 'Booking moved by the customer', actions: [] }));
    await expect.poll(async () => (await look())[0]?.data.count, { timeout: 15_000 }).toBe(2);
    await deliver(again({ id: crypto.randomUUID() }));
    await expect.poll(async () => (await look())[0]?.data.count, { timeout: 15_000 }).toBe(3);
    const grouped = await look();
    expect(grouped.map((n) => [n.tag, n.title])).toEqual([
      [`booking-${booking.id}`, '3 updates · New booking request'],
    ]);

    // Confirm pressed twice: the service worker posts the single-use token each time; the booking changes once.
    const worker = context.serviceWorkers().find((w) => w.url() === `${stack.url}/service-worker.js`)!;
    await worker.evaluate(async () => {
      const sw = self as unknown as ServiceWorkerGlobalScope;
      const [n] = await sw.registration.getNotifications();
      // Headless Chromium cannot click a system notification: dispatch the event the platform would.
      for (let i = 0; i < 2; i++) {
        sw.dispatchEvent(new NotificationEvent('notificationclick', { notification: n!, action: 'confirm' }));
      }
    });
    await expect
      .poll(async () => (await look()).some((n) => n.title === 'Booking confirmed'), { timeout: 15_000 })
      .toBe(true);
    // The button counted the push as opened, once, though the notification it was on stood for three deliveries.
    const admin = await stack.login('admin@slotcast.test');
    const hour = 3_600_000;
    const pushOpened = async () =>
      (
        await stack.api<FrequencyReport>(
          'GET',
          `/admin/notification-frequency?from=${new Date(Date.now() - hour).toISOString()}&to=${new Date(Date.now() + hour).toISOString()}`,
          admin,
        )
      ).categories.find((c) => c.category === 'request')!.pushOpened;
    await expect.poll(pushOpened, { timeout: 15_000 }).toBe(1);
    // A click on the notification routes an open window of the app to the booking.
    const open = await context.newPage();
    await open.goto(`${stack.url}/`);
    await open.evaluate(() => navigator.serviceWorker.ready);
    await worker.evaluate(async () => {
      const sw = self as unknown as ServiceWorkerGlobalScope;
      const [n] = await sw.registration.getNotifications();
      sw.dispatchEvent(new NotificationEvent('notificationclick', { notification: n! }));
    });
    await expect.poll(() => open.url(), { timeout: 15_000 }).toMatch(new RegExp(`/bookings/${booking.id}$`));

    const after = await stack.api<Booking>('GET', `/bookings/${booking.id}`, alice);
    expect(after).toMatchObject({ status: 'confirmed', version: booking.version + 1 });
  });
});
