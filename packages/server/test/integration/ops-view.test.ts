import type { Booking, OpsSample } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../support/databases.js';
import { ManualClock } from '../support/manual-clock.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { type Listener, listen } from '../support/sockets.js';
import { book, buildWorld, slotAt, type World } from '../support/world.js';

/** Samples this node has taken so far, by kind (slotcast_ops_samples_total). */
async function samplesTaken(server: TestServer): Promise<{ local: number; cluster: number }> {
  const { values } = await server.slotcast.metrics.opsSamples.get();
  const of = (kind: string) => values.find((v) => v.labels.kind === kind)?.value ?? 0;
  return { local: of('local'), cluster: of('cluster') };
}

/** Records every ops:sample a socket receives. */
function samplesOf(l: Listener): OpsSample[] {
  const got: OpsSample[] = [];
  l.socket.on('ops:sample', (s) => got.push(s));
  return got;
}

describe.each(DB_KINDS)('live operations view on %s', (kind) => {
  let server: TestServer;
  let w: World;
  const clock = new ManualClock();

  beforeAll(async () => {
    server = await startTestServer(kind, { OPS_SAMPLE_INTERVAL_SECONDS: '5' }, undefined, { opsClock: clock });
    w = await buildWorld(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('pushes a sample to admins only: sockets by role and transport, waiting requests, health by the alert rules', async () => {
    const admin = await listen(server, { token: w.admin.token });
    const adminSamples = samplesOf(admin);
    const alice = await listen(server, { token: w.alice.token }, { transports: ['polling'] });
    const aliceSamples = samplesOf(alice);
    const staff = await listen(server, { token: w.a.staff.token });
    const staffSamples = samplesOf(staff);
    const requested = (await book(server, w.alice, w.a, slotAt(3, 10))).body as Booking;
    expect(requested.status).toBe('requested');

    clock.advance(5000);
    await expect.poll(() => adminSamples.length).toBeGreaterThan(0);
    const s = adminSamples.at(-1)!;
    expect(s.node).toBe(server.slotcast.config.nodeId);
    expect(s.sockets.byRole).toMatchObject({ admin: 1, customer: 1, staff: 1 });
    expect(s.sockets.byTransport.polling).toBe(1);
    expect(s.sockets.total).toBe(3);
    expect(s.perMinute.connects).toBeGreaterThan(0);
    expect(s.waiting?.map((r) => r.bookingId)).toContain(requested.id);
    expect(s.eventLog?.headId).toBeGreaterThan(0);
    expect(s.dependencies).toContainEqual({ name: 'database', up: true, latencyMs: expect.any(Number) });
    expect(s.health.map((h) => h.rule)).toEqual([
      expect.stringMatching(/^SlotcastEventLoopLagHigh: > 0\.2 for 600s \(warning\)$|no value/),
      'SlotcastOutboxLag: > 30 for 120s (critical)',
      'SlotcastDatabasePoolExhausted: > 0 for 300s (warning)',
    ]);
    expect(s.health[2]).toMatchObject({ level: 'green', value: 0 });
    expect(s.relay).toBe('none');

    // Sentinel: a booking event reaches the customer and the staff after any sample would have.
    const sentinel = (await book(server, w.alice, w.a, slotAt(3, 12))).body as Booking;
    await expect
      .poll(() => alice.events.some((e) => e.data && JSON.stringify(e.data).includes(sentinel.id)))
      .toBe(true);
    await expect
      .poll(() => staff.events.some((e) => e.data && JSON.stringify(e.data).includes(sentinel.id)))
      .toBe(true);
    expect(aliceSamples).toEqual([]);
    expect(staffSamples).toEqual([]);
    for (const l of [admin, alice, staff]) l.close();
  });

  it('counts disconnects per minute by reason in the next sample', async () => {
    const admin = await listen(server, { token: w.admin.token });
    const adminSamples = samplesOf(admin);
    const bob = await listen(server, { token: w.bob.token });
    bob.close();
    await expect.poll(() => server.slotcast.gateway.io.of('/').sockets.size).toBe(1);
    clock.advance(5000);
    await expect.poll(() => adminSamples.length).toBeGreaterThan(0);
    const s = adminSamples.at(-1)!;
    expect(s.perMinute.disconnectsByReason['client namespace disconnect']).toBeGreaterThan(0);
    expect(s.sockets.total).toBe(1);
    admin.close();
  });

  it('reads the cluster-wide figures only while an admin watches, and takes its own sample every interval', async () => {
    await expect.poll(() => server.slotcast.gateway.io.of('/').sockets.size).toBe(0);
    const start = await samplesTaken(server);

    // Nobody watching: the local sample is the sentinel that the interval ran; the cluster-wide reads did not.
    const bob = await listen(server, { token: w.bob.token });
    clock.advance(5000);
    await expect.poll(async () => (await samplesTaken(server)).local).toBe(start.local + 1);
    expect((await samplesTaken(server)).cluster).toBe(start.cluster);

    const admin = await listen(server, { token: w.admin.token });
    const adminSamples = samplesOf(admin);
    clock.advance(5000);
    await expect.poll(() => adminSamples.length).toBe(1);
    expect(await samplesTaken(server)).toEqual({ local: start.local + 2, cluster: start.cluster + 1 });
    expect(adminSamples[0]!.eventLog?.headId).toBeGreaterThan(0);
    expect(adminSamples[0]!.health.map((h) => h.name)).toContain('Outbox relay lag (s)');

    // The admin leaves: the next interval is local only again.
    admin.close();
    await expect.poll(() => server.slotcast.gateway.io.of('/').sockets.size).toBe(1);
    clock.advance(5000);
    await expect.poll(async () => (await samplesTaken(server)).local).toBe(start.local + 3);
    expect((await samplesTaken(server)).cluster).toBe(start.cluster + 1);
    bob.close();
  });
});
