import type { CacheWindow, ConnectionState, OfflineSession, QueuedPayload, SlotcastClient } from '@slotcast/client';
import type { Booking, User } from '@slotcast/protocol';
import { BookingStore } from '../bookings/booking-store.js';
import { notifyWhileHidden } from '../notifications/local-notification.js';
import { NotificationStore } from '../notifications/notification-store.js';
import { takeFirstRead } from '../offline/first-read.js';
import { OfflineStatusStore } from '../offline/offline-status.js';

/** When the offline store's housekeeping (eviction, persistence) runs after start. */
const TIDY_AFTER_MS = 20_000;

/** How long Refresh waits for the socket before it reads the snapshots anyway. */
const REFRESH_CONNECT_WAIT_MS = 5_000;

/**
 * What one signed-in user's tab keeps live: the bookings it has seen and the notifications, fed by the SDK's event
 * stream from the moment of sign-in (so nothing arrives while no view is listening), and the views' snapshot loaders,
 * run again whenever live events alone cannot be trusted to have covered a gap.
 */
export class LiveSession {
  readonly bookings = new BookingStore();
  readonly notifications = new NotificationStore();
  private readonly reloaders = new Set<() => void | Promise<void>>();
  private readonly requestListeners = new Set<(booking: Booking) => void>();
  private readonly offs: (() => void)[] = [];
  private everConnected = false;
  /**
   * The user's IndexedDB store and outbox, once open; null before (its code loads after the first paint) and where
   * the platform has no IndexedDB (component tests). `offlineReady` settles when it is known which.
   */
  offline: OfflineSession | null = null;
  readonly offlineReady: Promise<OfflineSession | null>;
  private resolveOffline!: (offline: OfflineSession | null) => void;
  readonly offlineStatus: OfflineStatusStore;
  private stopped = false;

  constructor(
    private readonly sdk: SlotcastClient,
    private readonly user?: Pick<User, 'id' | 'role'>,
  ) {
    this.offlineReady = new Promise((resolve) => {
      this.resolveOffline = resolve;
    });
    this.offlineStatus = new OfflineStatusStore(this.hasStore);
    if (!this.hasStore) this.resolveOffline(null);
  }

  private get hasStore(): boolean {
    return this.user !== undefined && typeof indexedDB !== 'undefined';
  }

  start(): void {
    const { user } = this;
    if (!user || !this.hasStore) {
      this.resolveOffline(null);
      this.startLive();
      return;
    }
    // The bookings the app read from the store at boot (first-read.ts) go on screen as soon as they are there, without
    // waiting for the store's code: a reload paints the cache first.
    const firstRead = takeFirstRead(user.id);
    void firstRead?.then((bookings) => {
      if (!bookings || this.stopped) return;
      this.bookings.merge(bookings);
      performance.mark('slotcast:store-merged');
      this.offlineStatus.set({ fromStore: true });
    });
    // The store's code (Dexie) is a chunk of its own, loaded now rather than with the app, so the first paint does not
    // wait for it; the cached data is painted as soon as it is read.
    void import('@slotcast/client/offline')
      .then(({ OfflineSession }) => {
        if (this.stopped) return;
        this.offline = new OfflineSession(this.sdk, { userId: user.id, role: user.role });
        this.offlineStatus.connect(this.offline);
        // Before realtime.start(): every event handled from now on is written to the cache with its cursor.
        this.offline.attach();
        this.startOffline(firstRead);
      })
      .catch((err) => {
        console.warn('slotcast: could not open the offline store', err);
        this.offlineStatus.set({ hydrated: true });
      })
      .finally(() => {
        this.resolveOffline(this.offline);
        if (!this.stopped) this.startLive();
      });
  }

  private startLive(): void {
    const { realtime } = this.sdk;
    let wasLive = false;
    this.offs.push(
      // A frame at a time: one snapshot and one render for a replayed or live batch, not one per event.
      realtime.onEventFrame((events) => {
        const kinds = this.bookings.applyAll(events.map((e) => e.data.booking));
        events.forEach((event, i) => {
          if (event.type === 'booking.requested' && kinds[i] === 'new') {
            for (const l of [...this.requestListeners]) l(event.data.booking);
          }
        });
      }),
      realtime.onNotificationEvent((event) => {
        if (event.type === 'notification.created') {
          this.notifications.created(event.data);
          void notifyWhileHidden(event.data.notification).catch(() => {});
        } else this.notifications.read(event.data);
      }),
      // The cursor fell out of the server's retention: only a fresh snapshot is complete.
      realtime.on('resync', async () => {
        await this.reloadAll();
      }),
      realtime.subscribeState((state) => {
        const live = state.status === 'connected' || state.status === 'polling-fallback';
        // A connection without a cursor gets live events only: anything that happened before it (the first
        // connection, or a reconnect before any event was handled) comes from a snapshot. With a cursor, the
        // server replays exactly what was missed.
        if (live && !wasLive && (!this.everConnected || realtime.cursor === null)) {
          this.offlineStatus.set({ catchingUp: true });
          void this.reloadAll().finally(() => this.caughtUp());
        }
        if (live && !wasLive) void this.offline?.queue.flush();
        if (live) this.everConnected = true;
        wasLive = live;
      }),
    );
    void this.loadNotifications();
    realtime.start();
    // Page-only watchers, loaded apart so the first screen's script stays within its budget (docs/performance.md):
    // hidden with push on → the socket sleeps; visible → reconnect with the cursor and replay (docs/push.md); and
    // predictive prefetch: count this open, and let the service worker catch up before the usual ones.
    if (typeof document !== 'undefined' && typeof navigator !== 'undefined') {
      this.watchLazily(async () => (await import('./page-connection-policy.js')).watchPageConnection(realtime));
      // The offline store opens after the first paint; the histogram lives in it.
      this.watchLazily(async () => {
        const offline = await this.offlineReady;
        if (!offline) return () => {};
        return (await import('../prefetch/predictive-prefetch.js')).watchOpenHours(offline.db);
      });
    }
  }

  /** Starts a watcher once its module has loaded; stop() ends it, also when it had not started yet. */
  private watchLazily(start: () => Promise<() => void>): void {
    let stop: (() => void) | null = null;
    let stopped = false;
    void start().then((off) => {
      if (stopped) off();
      else stop = off;
    });
    this.offs.push(() => {
      stopped = true;
      stop?.();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.resolveOffline(null);
    for (const off of this.offs.splice(0)) off();
    this.reloaders.clear();
    await this.sdk.realtime.stop();
    this.offline?.close();
  }

  /** Actions waiting to be sent (the sign-out question). */
  async waitingActions(): Promise<number> {
    const offline = await this.offlineReady;
    return offline ? (await offline.queue.pending()).length : 0;
  }

  /** Sign-out: this user's cached data and waiting actions leave the device, and so does the background catch-up. */
  async wipe(): Promise<void> {
    const prefetch = import('../prefetch/predictive-prefetch.js').then((m) => m.stopBackgroundCatchUp());
    await Promise.all([this.wipeStore(), prefetch]);
  }

  /** The offline store goes, also when it was never opened here. */
  private async wipeStore(): Promise<void> {
    if (this.offline) return this.offline.wipe();
    if (!this.user || !this.hasStore) return;
    const { deleteOfflineDb } = await import('@slotcast/client/offline');
    await deleteOfflineDb(this.user.id);
  }

  /** Stores an action to send when the connection returns; it shows as pending at once. */
  async queueAction(payload: QueuedPayload, expected: Booking | null, idempotencyKey?: string): Promise<void> {
    const offline = this.offline ?? (await this.offlineReady);
    if (!offline) throw new Error('no offline store on this device');
    await offline.queue.enqueue({ payload, expected, idempotencyKey });
    if (typeof navigator === 'undefined' || navigator.onLine) void offline.queue.flush();
  }

  /**
   * A snapshot read over REST: shown, and kept for the next offline start. It holds every booking starting in
   * `scope.window` as of `scope.readAt`: cached ones it lacks (deleted, moved away, no longer visible) leave the cache
   * and the screen.
   */
  rememberBookings(bookings: readonly Booking[], scope?: { window: CacheWindow; readAt: number }): void {
    this.bookings.merge(bookings);
    void this.offlineReady
      .then((offline) => offline?.cache.putSnapshot(bookings, scope) ?? [])
      .then((gone) => {
        this.bookings.remove(gone);
        return this.offlineStatus.refresh();
      })
      .catch((err) => console.warn('slotcast: could not store the snapshot offline', err));
  }

  /** Renders from the cache first, keeps the status current, and flushes the outbox whenever it may work. */
  private startOffline(firstRead: Promise<Booking[] | null> | null): void {
    const offline = this.offline;
    if (!offline) return;
    const { queue, cache } = offline;
    const flush = () => void queue.flush();
    const onVisible = () => {
      if (document.visibilityState === 'visible') flush();
    };
    window.addEventListener('online', flush);
    document.addEventListener('visibilitychange', onVisible);
    this.offs.push(
      () => window.removeEventListener('online', flush),
      () => document.removeEventListener('visibilitychange', onVisible),
      queue.on('change', (change) => this.offlineStatus.follow(change)),
      // Actions sent (or refused) from the outbox: the server's bookings go on screen, one render per batch.
      queue.on('settledBatch', (results) => {
        const bookings = results.flatMap((r) => (r.booking ? [r.booking] : []));
        if (bookings.length > 0) this.bookings.applyAll(bookings, { highlight: false });
      }),
      this.sdk.realtime.on('replayDone', () => this.caughtUp()),
    );
    void (async () => {
      try {
        // The boot's read when it worked (merged already), the store's otherwise.
        const read = (await firstRead) ?? (await cache.bookings());
        const [bookings, notifications] = await Promise.all([read, cache.notifications()]);
        this.bookings.merge(bookings);
        this.offlineStatus.set({ fromStore: true });
        if (!this.notifications.getSnapshot().loaded && notifications.length > 0) {
          const unreadCount = notifications.filter((n) => n.readAt === null).length;
          this.notifications.load({ items: notifications, unreadCount, nextCursor: null });
        }
      } catch (err) {
        console.warn('slotcast: could not read the offline store', err);
      }
      this.offlineStatus.set({ hydrated: true });
      await this.offlineStatus.refresh();
      // Housekeeping later, not now: its write transactions would hold back the reads the first screen waits for
      // (the catalogue), and a persistence request may wait on the browser.
      if (this.stopped) return;
      const timer = setTimeout(() => {
        void offline.tidy().catch((err) => console.warn('slotcast: offline store housekeeping failed', err));
      }, TIDY_AFTER_MS);
      this.offs.push(() => clearTimeout(timer));
    })();
  }

  private caughtUp(): void {
    this.offlineStatus.set({ catchingUp: false, syncedAt: Date.now() });
  }

  /** Registers a snapshot loader; it runs now is up to the caller, and again after gaps. */
  onReload(reload: () => void | Promise<void>): () => void {
    this.reloaders.add(reload);
    return () => {
      this.reloaders.delete(reload);
    };
  }

  /** A new booking request arrived live (the vendor's optional sound cue listens). */
  onNewRequest(listener: (booking: Booking) => void): () => void {
    this.requestListeners.add(listener);
    return () => {
      this.requestListeners.delete(listener);
    };
  }

  /**
   * The user asked (Refresh on a phone): reconnect now if the socket is down (also when the battery-aware policy put
   * it to sleep), and read every snapshot again once it is live, so what the user sees is caught up and stays live.
   * Never waits long: offline, or an attempt that failed, reads the snapshots at once. Resolves whether it is live
   * and the snapshots were read.
   */
  async refresh(): Promise<boolean> {
    const { realtime } = this.sdk;
    // A socket that looks open may have died while the phone slept: a heartbeat finds out (and replaces it).
    await realtime.checkNow();
    realtime.retryNow();
    await this.settled(REFRESH_CONNECT_WAIT_MS);
    const results = await this.reloadAll();
    const { status } = realtime.state;
    return (status === 'connected' || status === 'polling-fallback') && results.every((r) => r.status === 'fulfilled');
  }

  /** Resolves when the connection is live, or no attempt is under way any more, or after `timeoutMs`. */
  private settled(timeoutMs: number): Promise<void> {
    const { realtime } = this.sdk;
    const done = ({ status, nextRetryAt }: ConnectionState) =>
      status === 'connected' ||
      status === 'polling-fallback' ||
      status === 'offline' ||
      status === 'incompatible' ||
      nextRetryAt !== null;
    if (done(realtime.state)) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        off();
        resolve();
      };
      const timer = setTimeout(finish, timeoutMs);
      const off = realtime.subscribeState((state) => {
        if (done(state)) finish();
      });
    });
  }

  async reloadAll(): Promise<PromiseSettledResult<void>[]> {
    return Promise.allSettled([this.loadNotifications(), ...[...this.reloaders].map((r) => r())]);
  }

  async loadNotifications(): Promise<void> {
    try {
      const page = await this.sdk.api.notifications.list({ limit: 50 });
      this.notifications.load(page);
      void this.offlineReady.then((offline) => offline?.cache.putNotifications(page.items)).catch(() => {});
    } catch (err) {
      console.warn('slotcast: could not load notifications', err);
    }
  }

  async loadMoreNotifications(): Promise<void> {
    const cursor = this.notifications.getSnapshot().nextCursor;
    if (!cursor) return;
    this.notifications.append(await this.sdk.api.notifications.list({ limit: 50, cursor }));
  }
}
