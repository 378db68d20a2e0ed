import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bookingEvent, tokenPair, USER_ID } from '../../test/support/fixtures.js';
import { type RealtimeTestServer, startRealtimeServer } from '../../test/support/realtime-server.js';
import { createSlotcastClient, type SlotcastClient } from '../slotcast-client.js';
import { catchUpOnce } from './background-catch-up.js';
import { OfflineCache } from './offline-cache.js';
import { OfflineCursorStore } from './offline-cursor-store.js';
import { deleteOfflineDb, OfflineDb } from './offline-db.js';

describe('catch-up with no page open (service worker)', () => {
  let server: RealtimeTestServer;
  let db: OfflineDb;
  let cache: OfflineCache;
  let sdk: SlotcastClient;

  beforeEach(async () => {
    server = await startRealtimeServer();
    db = new OfflineDb(USER_ID);
    cache = new OfflineCache(db);
    sdk = createSlotcastClient({
      baseUrl: server.url,
      realtime: { cursorStore: new OfflineCursorStore(), socketOptions: { transports: ['websocket'] } },
    });
    await sdk.api.tokens.setSession(tokenPair(1));
  });
  afterEach(async () => {
    db.close();
    await deleteOfflineDb(USER_ID);
    await server.close();
  });

  it('replays from the stored cursor into the offline store and disconnects when the replay is done', async () => {
    await cache.applyEnvelope(bookingEvent(4));
    const accepted = server.nextSocket();
    const done = catchUpOnce(sdk, cache, { userId: USER_ID });
    const s = await accepted;
    expect(server.handshakes[0]).toMatchObject({ lastEventId: 4 });
    s.emit('events', [bookingEvent(5, 'booking.cancelled'), bookingEvent(6, 'booking.cancelled')]);
    s.emit('replay:done', { lastEventId: 6, replayed: 2 });
    expect(await done).toBe('caught-up');
    expect(await cache.cursor()).toBe(6);
    expect(sdk.realtime.state.status).toBe('offline');
    await expect.poll(() => server.connected().length).toBe(0);
  });

  it('does nothing without a cursor, or when the session belongs to another user', async () => {
    expect(await catchUpOnce(sdk, cache, { userId: USER_ID })).toBe('no-cursor');
    await cache.applyEnvelope(bookingEvent(4));
    expect(await catchUpOnce(sdk, cache, { userId: '99999999-9999-4999-8999-999999999999' })).toBe('other-user');
    expect(server.handshakes).toHaveLength(0);
  });
});
