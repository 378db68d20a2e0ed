import type { BookingEvent } from '@slotcast/protocol';
import {
  buildWorld,
  PASSWORD,
  slotAt,
  startTestServer,
  type TestServer,
  type World,
} from '@slotcast/server/test-support';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/api-client.js';
import type { ConnectionState } from '../../src/connection-state.js';
import { MemoryCursorStore } from '../../src/cursor-store.js';
import { RealtimeClient } from '../../src/realtime-client.js';
import type { RealtimeClientOptions } from '../../src/realtime-options.js';
import { startTransportGate, type TransportGate } from '../support/transport-gate.js';

/** Far longer than the test may take: only an attempt the SDK fails itself can be retried in time. */
const TEN_MINUTES = 600_000;

describe('RealtimeClient behind a front that closes WebSockets before they open (pglite)', () => {
  let server: TestServer;
  let w: World;
  let gate: TransportGate;
  const open: { api: ApiClient; realtime: RealtimeClient }[] = [];

  beforeAll(async () => {
    server = await startTestServer('pglite');
    w = await buildWorld(server);
  });
  beforeEach(async () => {
    // In front of the realtime endpoint only; REST goes to the server directly.
    gate = await startTransportGate(server.url);
  });
  afterEach(async () => {
    for (const sdk of open.splice(0)) {
      await sdk.realtime.stop();
      sdk.api.tokens.dispose();
    }
    await gate.close();
  });
  afterAll(async () => {
    await server?.close();
  });

  async function sdkFor(email: string, realtime: Partial<RealtimeClientOptions> = {}) {
    const api = new ApiClient({ baseUrl: server.url });
    await api.auth.login({ email, password: PASSWORD });
    const client = new RealtimeClient({
      url: gate.url,
      tokens: api.tokens,
      cursorStore: new MemoryCursorStore(),
      backoff: { baseMs: 50, capMs: 500 },
      connectTimeoutMs: TEN_MINUTES,
      ...realtime,
    });
    const events: BookingEvent[] = [];
    client.onEvent((e) => {
      events.push(e);
    });
    const states: ConnectionState[] = [];
    client.subscribeState((s) => states.push(s));
    open.push({ api, realtime: client });
    return { api, realtime: client, events, states };
  }
  type Sdk = Awaited<ReturnType<typeof sdkFor>>;
  const failedAttempts = (sdk: Sdk) =>
    sdk.states.filter((s) => s.nextRetryAt !== null).map((s) => [s.status, s.attempt, s.lastError?.code]);
  const waitFor = (sdk: Sdk, want: Partial<ConnectionState>, message: string) =>
    expect.poll(() => sdk.realtime.state, { message }).toMatchObject(want);

  it('a WebSocket-only client (the service worker’s catch-up) fails each early close at once and catches up once one passes', async () => {
    const alice = await sdkFor('alice@test.test', { socketOptions: { transports: ['websocket'] } });
    const staff = await sdkFor('staff@vendor-a.test');
    alice.realtime.start();
    await waitFor(alice, { status: 'connected' }, 'connected');
    const booking = await alice.api.bookings.create({
      resourceId: w.a.resource.id,
      serviceId: w.a.service.id,
      startAt: slotAt(24, 9),
    });
    await expect.poll(() => alice.events.length, { message: 'live event' }).toBe(1);
    await alice.realtime.stop();
    await staff.api.bookings.transition(booking.id, 'confirm', { version: 1 });

    // The node restarts behind its proxy: the next two WebSockets are accepted and closed before Engine.IO opens.
    gate.closeUpgrades = 2;
    const replayDone = new Promise<void>((resolve) => alice.realtime.on('replayDone', () => resolve()));
    alice.realtime.start();
    await replayDone;
    expect(failedAttempts(alice).slice(-2)).toEqual([
      ['reconnecting', 1, 'NETWORK'],
      ['reconnecting', 2, 'NETWORK'],
    ]);
    expect(gate.closedUpgrades).toBe(2);
    await waitFor(alice, { status: 'connected', transport: 'websocket', attempt: 0 }, 'connected again');
    expect(alice.events.map((e) => e.type)).toEqual(['booking.requested', 'booking.confirmed']);
  });

  it('after a deploy cuts its socket, the page reconnects over a WebSocket directly, and over polling when that WebSocket is closed early', async () => {
    // The web app's configuration: Socket.IO's default, polling first, then the upgrade.
    const alice = await sdkFor('alice@test.test');
    alice.realtime.start();
    await waitFor(alice, { status: 'connected', transport: 'websocket' }, 'upgraded');
    expect(gate.upgrades).toEqual(['upgrade']);

    // A drop: the next attempt opens a WebSocket directly, without a polling handshake first.
    gate.cutAll();
    await expect.poll(() => gate.passedUpgrades, { message: 'direct WebSocket' }).toBe(2);
    await waitFor(alice, { status: 'connected', transport: 'websocket', attempt: 0 }, 'back over a WebSocket');
    expect(gate.upgrades).toEqual(['upgrade', 'direct']);
    expect(failedAttempts(alice)).toEqual([['reconnecting', 1, 'NETWORK']]);

    // A deploy: the proxy accepts the first WebSocket and closes it before the new node answers.
    gate.closeUpgrades = 1;
    gate.cutAll();
    await expect.poll(() => gate.passedUpgrades, { message: 'the polling connection’s upgrade' }).toBe(3);
    await waitFor(alice, { status: 'connected', transport: 'websocket', attempt: 0 }, 'upgraded again');
    expect(failedAttempts(alice).slice(1)).toEqual([
      ['reconnecting', 1, 'NETWORK'],
      ['reconnecting', 2, 'NETWORK'],
    ]);
    // The direct WebSocket that was closed, then polling first and an upgrade that passed.
    expect(gate.upgrades).toEqual(['upgrade', 'direct', 'direct', 'upgrade']);
    expect(gate.closedUpgrades).toBe(1);

    const booking = await alice.api.bookings.create({
      resourceId: w.a.resource2.id,
      serviceId: w.a.service.id,
      startAt: slotAt(25, 9),
    });
    await expect.poll(() => alice.events.map((e) => e.data.booking.id), { message: 'live' }).toContain(booking.id);
  });
});
