import type { PushDevice, PushPayload } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { api, book, slotAt, type World } from '../support/world.js';
import { startPushCluster } from './support/push-cluster.js';
import { waitFor } from './support/services.js';

const missing = inject('clusterMissing');
const DEVICES = ['staff-1', 'staff-2', 'staff-3', 'owner-1', 'owner-2'];
const BOOKINGS = 30;

describe.skipIf(missing.length > 0)('push from a 2-node cluster', () => {
  let stack: Awaited<ReturnType<typeof startPushCluster>>;
  let cluster: typeof stack.cluster;
  let w: World;
  let webPush: typeof stack.webPush;
  let as: typeof stack.as;

  beforeAll(async () => {
    stack = await startPushCluster(
      'cluster-push',
      {
        // Every request on its own push, and a killed node's claims taken over within seconds.
        NOTIFY_BATCH_WINDOW_SECONDS: '0',
        OUTBOX_LEASE_SECONDS: '3',
        OUTBOX_SWEEP_SECONDS: '1',
      },
      {},
    );
    ({ cluster, w, webPush, as } = stack);
    for (const name of DEVICES) {
      const party = name.startsWith('staff') ? w.a.staff : w.a.owner;
      const device = webPush.register(webPush.device(name));
      const res = await api<PushDevice>(as(cluster.lb.url), 'POST', '/push/subscriptions', {
        token: party.token,
        body: { provider: 'webpush', endpoint: device.endpoint, keys: device.keys },
      });
      expect(res.status).toBe(201);
    }
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('pushes every notification to every device as one message while a node is killed mid-stream (one in flight at the kill may come twice, the same message)', async () => {
    const [victim] = cluster.nodes;
    let made = 0;
    for (let i = 0; i < BOOKINGS; i++) {
      // Through the load balancer: it moves on to the surviving node once the victim is gone.
      // 409: an earlier try committed on the victim just before it died, and only the answer was lost.
      await waitFor(
        `booking ${i}`,
        async () =>
          [201, 409].includes(
            (await book(as(cluster.lb.url), w.alice, w.a, slotAt(2 + Math.floor(i / 20), i % 20))).status,
          ),
        30_000,
        100,
      );
      made++;
      if (i === BOOKINGS / 2) await victim!.kill();
    }
    expect(made).toBe(BOOKINGS);
    const perDevice = (device: string) => webPush.to(device).map((p) => (JSON.parse(p.payload) as PushPayload).eventId);
    for (const device of DEVICES)
      await expect.poll(() => new Set(perDevice(device)).size, { timeout: 60_000, interval: 200 }).toBe(BOOKINGS);
    // Sentinel: one more request after the others, to every device, so a late duplicate would have come before it.
    await book(as(cluster.lb.url), w.alice, w.a, slotAt(5, 10));
    for (const device of DEVICES)
      await expect.poll(() => new Set(perDevice(device)).size, { timeout: 30_000, interval: 200 }).toBe(BOOKINGS + 1);
    // Each device shows every notification once: one message per event. A push the victim's push service accepted
    // in the round trip before the victim recorded it (SIGKILL in that window) is sent again by the survivor — no push
    // service takes an idempotency key, so exactly once at the service cannot survive a crash there — but it is the
    // same message (the payload id is derived from the outbox row), which the service worker shows once.
    for (const device of DEVICES) {
      const messages = webPush.to(device).map((p) => JSON.parse(p.payload) as PushPayload);
      const idOf = new Map<number, string>();
      for (const m of messages) {
        expect(idOf.get(m.eventId) ?? m.id, `device ${device}, event ${m.eventId}: one message`).toBe(m.id);
        idOf.set(m.eventId, m.id);
      }
      expect(idOf.size).toBe(BOOKINGS + 1);
      // Resent only what was in flight when the node died: at most a few per device, never a stream.
      expect(messages.length - idOf.size, `device ${device}: pushes sent again`).toBeLessThanOrEqual(2);
    }
    await victim!.start();
  });
});
