import type { SlotcastClient } from '../slotcast-client.js';
import { ActionQueue, type LockManagerLike } from './action-queue.js';
import { sdkActionSender, sdkBookingReader } from './action-sender.js';
import { type CacheWindow, OfflineCache } from './offline-cache.js';
import { deleteOfflineDb, OfflineDb } from './offline-db.js';
import { evict, overBudget, requestPersistence, type StorageBudget } from './storage-hygiene.js';

export interface OfflineSessionOptions {
  userId: string;
  /** Staff keep their vendor's schedule ±14 days and ask for persistent storage; customers keep their own bookings. */
  role: 'customer' | 'staff' | 'admin';
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
  locks?: LockManagerLike | null;
  budget?: StorageBudget;
  now?: () => number;
}

const DAY = 86_400_000;

/** The window kept for a role around `now`: staff ±14 days; customers everything from 90 days back on. */
export function cacheWindow(role: OfflineSessionOptions['role'], now: number): CacheWindow {
  const before = role === 'customer' ? 90 : 14;
  const after = role === 'customer' ? 3_650 : 14;
  return { from: new Date(now - before * DAY).toISOString(), to: new Date(now + after * DAY).toISOString() };
}

/**
 * One signed-in user's offline store, wired to the SDK: every event the realtime client handles is written to the
 * cache with the cursor (one transaction each), a resync marks the cache for a snapshot, and the action queue sends
 * through the SDK's REST API. Subscribe before `realtime.start()`, as with any event handler.
 */
export class OfflineSession {
  readonly db: OfflineDb;
  readonly cache: OfflineCache;
  readonly queue: ActionQueue;
  private readonly offs: (() => void)[] = [];

  constructor(
    private readonly sdk: SlotcastClient,
    private readonly opts: OfflineSessionOptions,
  ) {
    this.db = new OfflineDb(opts.userId, { indexedDB: opts.indexedDB, IDBKeyRange: opts.IDBKeyRange });
    this.cache = new OfflineCache(this.db, opts.now);
    this.queue = new ActionQueue({
      db: this.db,
      cache: this.cache,
      send: sdkActionSender(sdk.api),
      read: sdkBookingReader(sdk.api),
      userId: opts.userId,
      locks: opts.locks,
    });
  }

  get window(): CacheWindow {
    return cacheWindow(this.opts.role, (this.opts.now ?? Date.now)());
  }

  /** Hooks the cache to the event stream; call before realtime.start(). */
  attach(): void {
    const { realtime } = this.sdk;
    this.offs.push(
      // One transaction per frame: the frame's events and the cursor past them.
      realtime.onEnvelopeFrame((envelopes) => this.cache.applyEnvelopes(envelopes)),
      // Awaited before the stream moves its cursor: the flag and the new cursor are stored together first.
      realtime.on('resync', (info) => this.cache.resynced(info.latestEventId)),
    );
  }

  /** Housekeeping after start: eviction outside the window, persistence for staff. */
  async tidy(): Promise<void> {
    if (this.opts.role === 'staff') await requestPersistence().catch(() => false);
    const window = this.window;
    await evict(this.db, window, this.opts.budget);
    if (await overBudget(this.opts.budget)) await evict(this.db, window, { ...this.opts.budget, maxNotifications: 50 });
  }

  detach(): void {
    for (const off of this.offs.splice(0)) off();
    this.queue.stop();
  }

  close(): void {
    this.detach();
    this.db.close();
  }

  /** Sign-out: everything of this user's goes, including waiting actions (the UI asks first). */
  async wipe(): Promise<void> {
    this.close();
    await deleteOfflineDb(this.opts.userId, { indexedDB: this.opts.indexedDB, IDBKeyRange: this.opts.IDBKeyRange });
  }
}
