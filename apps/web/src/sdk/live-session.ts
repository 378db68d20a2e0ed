import type { SlotcastClient } from '@slotcast/client';
import type { Booking } from '@slotcast/protocol';
import { BookingStore } from '../bookings/booking-store.js';
import { notifyWhileHidden } from '../notifications/local-notification.js';
import { NotificationStore } from '../notifications/notification-store.js';

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

  constructor(private readonly sdk: SlotcastClient) {}

  start(): void {
    const { realtime } = this.sdk;
    let wasLive = false;
    this.offs.push(
      realtime.onEvent((event) => {
        const kind = this.bookings.apply(event.data.booking);
        if (event.type === 'booking.requested' && kind === 'new') {
          for (const l of [...this.requestListeners]) l(event.data.booking);
        }
      }),
      realtime.onNotificationEvent((event) => {
        if (event.type === 'notification.created') {
          this.notifications.created(event.data);
          void notifyWhileHidden(event.data.notification).catch(() => {});
        } else this.notifications.read(event.data);
      }),
      // The cursor fell out of the server's retention: only a fresh snapshot is complete.
      realtime.on('resync', () => this.reloadAll()),
      realtime.subscribeState((state) => {
        const live = state.status === 'connected' || state.status === 'polling-fallback';
        // A connection without a cursor gets live events only: anything that happened before it (the first
        // connection, or a reconnect before any event was handled) comes from a snapshot. With a cursor, the
        // server replays exactly what was missed.
        if (live && !wasLive && (!this.everConnected || realtime.cursor === null)) void this.reloadAll();
        if (live) this.everConnected = true;
        wasLive = live;
      }),
    );
    void this.loadNotifications();
    realtime.start();
  }

  async stop(): Promise<void> {
    for (const off of this.offs.splice(0)) off();
    this.reloaders.clear();
    await this.sdk.realtime.stop();
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

  async reloadAll(): Promise<void> {
    await Promise.allSettled([this.loadNotifications(), ...[...this.reloaders].map((r) => r())]);
  }

  async loadNotifications(): Promise<void> {
    try {
      this.notifications.load(await this.sdk.api.notifications.list({ limit: 50 }));
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
