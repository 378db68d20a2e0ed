import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Booking, FrequencyReport, PushDevice, PushDeviceList, PushPayload } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import webpush from 'web-push';
import { collapseKey } from '../../src/domain/push-content.js';
import { DB_KINDS } from '../support/databases.js';
import { ApnsService } from '../support/push/apns-service.js';
import { FcmService } from '../support/push/fcm-service.js';
import { loopbackCertificate } from '../support/push/tls.js';
import { type TestDevice, WebPushService } from '../support/push/web-push-service.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { api, book, buildWorld, type Party, slotAt, type World } from '../support/world.js';

const POLL = { timeout: 20_000, interval: 50 };

describe.each(DB_KINDS)('push delivery on %s', (kind) => {
  let server: TestServer;
  let w: World;
  let webPush: WebPushService;
  let fcm: FcmService;
  let apns: ApnsService;
  const vapid = webpush.generateVAPIDKeys();

  beforeAll(async () => {
    const tls = await loopbackCertificate();
    webPush = new WebPushService(tls, vapid.publicKey);
    fcm = new FcmService();
    apns = new ApnsService(tls);
    await Promise.all([webPush.start(), fcm.start(), apns.start()]);
    const dir = await mkdtemp(path.join(tmpdir(), 'slotcast-push-'));
    await writeFile(path.join(dir, 'fcm.json'), JSON.stringify(fcm.serviceAccount()));
    await writeFile(path.join(dir, 'apns.p8'), apns.privateKeyPem());
    server = await startTestServer(
      kind,
      {
        VAPID_PUBLIC_KEY: vapid.publicKey,
        VAPID_PRIVATE_KEY: vapid.privateKey,
        VAPID_SUBJECT: 'mailto:ops@slotcast.test',
        FCM_SERVICE_ACCOUNT_FILE: path.join(dir, 'fcm.json'),
        FCM_API_URL: fcm.url,
        APNS_KEY_FILE: path.join(dir, 'apns.p8'),
        APNS_KEY_ID: apns.keyId,
        APNS_TEAM_ID: apns.teamId,
        APNS_TOPIC: apns.topic,
        APNS_URL: apns.url,
        PUSH_RETRY_DELAYS_MS: '20,50,100',
        // Each change on its own push: the batching window has its own tests (notification-batching).
        NOTIFY_BATCH_WINDOW_SECONDS: '0',
        // The local push service; anything else stays refused.
        PUSH_ENDPOINT_HOSTS: '127.0.0.1',
      },
      undefined,
      { pushCa: tls.cert },
    );
    w = await buildWorld(server);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await Promise.all([webPush?.close(), fcm?.close(), apns?.close()]);
  });

  const subscribeWeb = async (party: Party, name: string): Promise<TestDevice> => {
    const device = webPush.register(webPush.device(name));
    const res = await api<PushDevice>(server, 'POST', '/push/subscriptions', {
      token: party.token,
      body: { provider: 'webpush', endpoint: device.endpoint, keys: device.keys },
      headers: { 'user-agent': `test ${name}` },
    });
    expect(res.status).toBe(201);
    return device;
  };
  const devicesOf = async (party: Party) =>
    (await api<PushDeviceList>(server, 'GET', '/push/subscriptions', { token: party.token })).body.items;
  const payloads = (device: string) => webPush.to(device).map((p) => JSON.parse(p.payload) as PushPayload);
  const act = (token: string) => api<Booking>(server, 'POST', '/push/actions', { body: { token } });
  const transition = (party: Party, b: Booking, action: string) =>
    api<Booking>(server, 'POST', `/bookings/${b.id}/${action}`, { token: party.token, body: { version: b.version } });

  it('gives browsers the VAPID public key to subscribe with', async () => {
    const res = await api<{ publicKey: string }>(server, 'GET', '/push/vapid-key');
    expect(res).toMatchObject({ status: 200, body: { publicKey: vapid.publicKey } });
  });

  it('lists and removes only your own devices, and refuses a subscription without keys or over plain HTTP', async () => {
    await subscribeWeb(w.bob, 'bob-laptop');
    const [mine] = await devicesOf(w.bob);
    expect(mine).toMatchObject({ provider: 'webpush', userAgent: 'test bob-laptop', lastSuccessAt: null });
    expect(JSON.stringify(mine)).not.toContain('bob-laptop/'); // the endpoint is a capability: never echoed
    expect((await api(server, 'DELETE', `/push/subscriptions/${mine!.id}`, { token: w.alice.token })).status).toBe(404);
    expect((await api(server, 'DELETE', `/push/subscriptions/${mine!.id}`, { token: w.bob.token })).status).toBe(204);
    expect(await devicesOf(w.bob)).toEqual([]);
    const bad = await api(server, 'POST', '/push/subscriptions', {
      token: w.bob.token,
      body: { provider: 'webpush', endpoint: 'https://push.example/x' },
    });
    expect(bad.status).toBe(400);
    const plain = await api(server, 'POST', '/push/subscriptions', {
      token: w.bob.token,
      body: { provider: 'webpush', endpoint: 'http://10.0.0.1/push', keys: { p256dh: 'AAAA', auth: 'BBBB' } },
    });
    expect(plain.status).toBe(400);
    // A well-formed HTTPS endpoint on a host that is not a push service the operator allows: refused, not stored.
    const elsewhere = await api(server, 'POST', '/push/subscriptions', {
      token: w.bob.token,
      body: { provider: 'webpush', endpoint: 'https://10.0.0.1/push', keys: { p256dh: 'AAAA', auth: 'BBBB' } },
    });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'endpoint' }] });
    expect(await devicesOf(w.bob)).toEqual([]);
    expect((await api(server, 'GET', '/push/subscriptions')).status).toBe(401);
  });

  it('sends one push per device of each recipient, on Web Push, FCM and APNs, with a Topic per booking', async () => {
    const fcmToken = randomBytes(40).toString('base64url');
    const apnsToken = randomBytes(32).toString('hex');
    await subscribeWeb(w.a.staff, 'staff-phone');
    await subscribeWeb(w.a.owner, 'owner-phone');
    await subscribeWeb(w.alice, 'alice-phone');
    for (const body of [
      { provider: 'fcm', token: fcmToken },
      { provider: 'apns', token: apnsToken },
    ]) {
      expect((await api(server, 'POST', '/push/subscriptions', { token: w.a.staff.token, body })).status).toBe(201);
    }

    const booking = (await book(server, w.alice, w.a, slotAt(3, 10))).body as Booking;
    // Actions follow the booking as it is when the push goes out: let the request's push go before cancelling.
    await expect.poll(() => webPush.to('staff-phone').length, POLL).toBe(1);
    // Sentinels: the customer's cancellation must reach every staff device after the request did.
    const cancelled = await transition(w.alice, booking, 'cancel');
    expect(cancelled.status).toBe(200);
    await expect.poll(() => webPush.to('staff-phone').length, POLL).toBe(2);
    await expect.poll(() => webPush.to('owner-phone').length, POLL).toBe(2);
    await expect.poll(() => fcm.sent.filter((m) => m.token === fcmToken).length, POLL).toBe(2);
    await expect.poll(() => apns.received.filter((m) => m.deviceToken === apnsToken).length, POLL).toBe(2);

    const [request, cancellation] = payloads('staff-phone');
    expect(request).toMatchObject({
      v: 1,
      bookingId: booking.id,
      category: 'request',
      title: 'New booking request',
      url: `/bookings/${booking.id}`,
    });
    expect(request!.actions.map((a) => a.action)).toEqual(['view', 'confirm', 'decline']);
    expect(cancellation).toMatchObject({ category: 'cancellation', title: 'Booking cancelled by the customer' });
    const [first] = webPush.to('staff-phone');
    expect(first).toMatchObject({ ttl: 3600, urgency: 'high', topic: collapseKey({ id: '', bookingId: booking.id }) });
    expect(first!.vapid.sub).toBe('mailto:ops@slotcast.test');

    const [fcmMessage] = fcm.sent.filter((m) => m.token === fcmToken);
    expect(fcmMessage).toMatchObject({
      notification: { title: 'New booking request' },
      android: { collapse_key: first!.topic, ttl: '3600s', priority: 'HIGH' },
    });
    expect(JSON.parse(fcmMessage!.data.payload!)).toMatchObject({ bookingId: booking.id, category: 'request' });
    const [apnsPush] = apns.received.filter((m) => m.deviceToken === apnsToken);
    expect(apnsPush!.headers).toMatchObject({
      'apns-topic': apns.topic,
      'apns-push-type': 'alert',
      'apns-priority': '10',
      'apns-collapse-id': first!.topic,
    });
    expect(apnsPush!.body.aps.alert.title).toBe('New booking request');
    // The customer made both changes: nothing for her phone.
    expect(webPush.to('alice-phone')).toEqual([]);
    // One OAuth exchange served both FCM sends.
    expect(fcm.exchanges).toHaveLength(1);
    const [web] = (await devicesOf(w.a.staff)).filter((d) => d.provider === 'webpush');
    expect(web!.lastSuccessAt).not.toBeNull();
  });

  it("performs a staff Confirm from a push's action token once, and the token is good for nothing else", async () => {
    const booking = (await book(server, w.alice, w.a, slotAt(4, 10))).body as Booking;
    await expect.poll(() => payloads('owner-phone').filter((p) => p.bookingId === booking.id).length, POLL).toBe(1);
    const push = payloads('owner-phone').find((p) => p.bookingId === booking.id)!;
    const token = push.actions.find((a) => a.action === 'confirm')!.token!;

    // An action token is not a session: the API refuses it as a bearer token.
    expect((await api(server, 'GET', '/bookings', { token })).status).toBe(401);
    const first = await act(token);
    const again = await act(token);
    expect(first).toMatchObject({ status: 200, body: { status: 'confirmed', version: booking.version + 1 } });
    expect(again).toMatchObject({ status: 200, body: { status: 'confirmed', version: booking.version + 1 } });
    const now = await api<Booking>(server, 'GET', `/bookings/${booking.id}`, { token: w.alice.token });
    expect(now.body.version).toBe(booking.version + 1);
    // The customer hears of it once, on her phone.
    await expect.poll(() => payloads('alice-phone').filter((p) => p.bookingId === booking.id).length, POLL).toBe(1);
    const forged = await act(`${token.slice(0, -4)}AAAA`);
    expect(forged).toMatchObject({ status: 401, body: { code: 'AUTH_TOKEN_INVALID' } });
    expect((await act(w.alice.token)).body).toMatchObject({ code: 'AUTH_TOKEN_INVALID' });
  });

  it('removes a device its push service calls gone (Web Push 410, FCM UNREGISTERED, APNs 410)', async () => {
    await subscribeWeb(w.b.staff, 'b-staff-gone');
    webPush.answer('b-staff-gone', 410);
    const fcmToken = randomBytes(40).toString('base64url');
    const apnsToken = randomBytes(32).toString('hex');
    fcm.unregistered.add(fcmToken);
    apns.unregistered.add(apnsToken);
    for (const body of [
      { provider: 'fcm', token: fcmToken },
      { provider: 'apns', token: apnsToken },
    ]) {
      expect((await api(server, 'POST', '/push/subscriptions', { token: w.b.staff.token, body })).status).toBe(201);
    }
    expect(await devicesOf(w.b.staff)).toHaveLength(3);
    await book(server, w.bob, w.b, slotAt(3, 12));
    await expect.poll(async () => (await devicesOf(w.b.staff)).length, POLL).toBe(0);
  });

  it('retries a device whose service answered 503, without pushing twice to the device that took it', async () => {
    await subscribeWeb(w.b.owner, 'b-owner-steady');
    await subscribeWeb(w.b.owner, 'b-owner-flaky');
    webPush.answer('b-owner-flaky', 503, 429);
    const booking = (await book(server, w.bob, w.b, slotAt(5, 12))).body as Booking;
    await expect.poll(() => webPush.to('b-owner-flaky').length, POLL).toBe(1);
    expect(webPush.attempts.filter((a) => a.device === 'b-owner-flaky').map((a) => a.status)).toEqual([503, 429, 201]);
    // Sentinel: the next change reaches the steady device after any duplicate of the first would have.
    await transition(w.bob, booking, 'cancel');
    await expect.poll(() => webPush.to('b-owner-steady').length, POLL).toBe(2);
    expect(payloads('b-owner-steady').map((p) => p.category)).toEqual(['request', 'cancellation']);
    await expect.poll(() => webPush.to('b-owner-flaky').length, POLL).toBe(2);
  });

  it('lets a newer change of a booking replace the older one queued for an offline device', async () => {
    webPush.setOffline('staff-phone', true);
    const booking = (await book(server, w.alice, w.a, slotAt(6, 10))).body as Booking;
    // Cancelled at once, so both messages are due together: the request must still reach the service first.
    await transition(w.alice, booking, 'cancel');
    // Counted by this booking's Topic: a push of an earlier test may still be on its way to this device.
    const topic = collapseKey({ id: '', bookingId: booking.id });
    await expect
      .poll(() => webPush.attempts.filter((a) => a.device === 'staff-phone' && a.topic === topic).length, POLL)
      .toBe(2);
    const queued = webPush
      .queued('staff-phone')
      .map((p) => JSON.parse(p.payload) as PushPayload)
      .filter((p) => p.bookingId === booking.id);
    expect(queued.map((p) => p.title)).toEqual(['Booking cancelled by the customer']);
    webPush.setOffline('staff-phone', false);
  });

  it('counts a clicked push as opened once per message, for the frequency report; a made-up mark counts nothing', async () => {
    const hour = 3_600_000;
    const opened = async () => {
      const res = await api<FrequencyReport>(
        server,
        'GET',
        `/admin/notification-frequency?from=${new Date(Date.now() - hour).toISOString()}&to=${new Date(Date.now() + hour).toISOString()}`,
        { token: w.admin.token },
      );
      return res.body.categories.find((c) => c.category === 'request')!.pushOpened;
    };
    const clicked = (marks: string[]) => api(server, 'POST', '/push/opens', { body: { marks } });
    const pushedTo = async (slot: string) => {
      const booking = (await book(server, w.alice, w.a, slot)).body as Booking;
      await expect.poll(() => payloads('owner-phone').filter((p) => p.bookingId === booking.id).length, POLL).toBe(1);
      return payloads('owner-phone').find((p) => p.bookingId === booking.id)!;
    };
    const [first, second] = [await pushedTo(slotAt(8, 10)), await pushedTo(slotAt(8, 12))];
    expect(first.open).toMatch(/^\d+\.[\w-]{22}$/);
    const before = await opened();

    expect((await clicked([first.open!])).status).toBe(204);
    expect(await opened()).toBe(before + 1);
    // Clicked again, and then as part of a grouped notification with the second: each counted once.
    expect((await clicked([first.open!])).status).toBe(204);
    expect((await clicked([first.open!, second.open!])).status).toBe(204);
    expect(await opened()).toBe(before + 2);

    const forged = `${first.open!.split('.')[0]}.${'A'.repeat(22)}`;
    expect(await clicked([forged])).toMatchObject({ status: 401, body: { code: 'AUTH_TOKEN_INVALID' } });
    expect((await clicked([])).status).toBe(400);
    expect(await opened()).toBe(before + 2);
  });

  it('keeps a push within 4 KB however long the reason given', async () => {
    const booking = (await book(server, w.alice, w.a, slotAt(7, 10))).body as Booking;
    const reason = 'Ω'.repeat(500); // two bytes each in UTF-8
    expect(
      (
        await api(server, 'POST', `/bookings/${booking.id}/decline`, {
          token: w.a.staff.token,
          body: { version: booking.version, reason },
        })
      ).status,
    ).toBe(200);
    await expect.poll(() => payloads('alice-phone').filter((p) => p.bookingId === booking.id).length, POLL).toBe(1);
    const push = webPush.to('alice-phone').find((p) => p.payload.includes(booking.id))!;
    expect(push.bodyBytes).toBeLessThanOrEqual(4096);
    expect(JSON.parse(push.payload)).toMatchObject({ title: 'Booking declined', category: 'decline' });
  });
});
