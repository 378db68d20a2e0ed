import type {
  Notification,
  NotificationCategory,
  NotificationCreatedData,
  NotificationReadData,
} from '@slotcast/protocol';

export interface NotificationSnapshot {
  /** Loaded notifications, newest first. */
  readonly items: readonly Notification[];
  /** The server's count of unread notifications (all of them, not only the loaded ones). */
  readonly unreadCount: number;
  readonly loaded: boolean;
  readonly nextCursor: string | null;
}

/**
 * The user's notifications: a REST page, then kept in step by the private `notification.created` and
 * `notification.read` events, which every tab and device of the user receives. Each event carries the server's unread
 * count, which wins over anything counted here.
 */
export class NotificationStore {
  private snapshot: NotificationSnapshot = { items: [], unreadCount: 0, loaded: false, nextCursor: null };
  private readonly listeners = new Set<() => void>();

  readonly getSnapshot = (): NotificationSnapshot => this.snapshot;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** The first page (newest first); replaces what was loaded. */
  load(page: { items: readonly Notification[]; unreadCount: number; nextCursor: string | null }): void {
    this.publish({
      items: sortNewest(page.items),
      unreadCount: page.unreadCount,
      loaded: true,
      nextCursor: page.nextCursor,
    });
  }

  /** A further page, appended without duplicates. */
  append(page: { items: readonly Notification[]; unreadCount: number; nextCursor: string | null }): void {
    const known = new Set(this.snapshot.items.map((n) => n.id));
    const items = sortNewest([...this.snapshot.items, ...page.items.filter((n) => !known.has(n.id))]);
    this.publish({ ...this.snapshot, items, unreadCount: page.unreadCount, nextCursor: page.nextCursor });
  }

  created(data: NotificationCreatedData): void {
    const exists = this.snapshot.items.some((n) => n.id === data.notification.id);
    const items = exists ? this.snapshot.items : sortNewest([data.notification, ...this.snapshot.items]);
    this.publish({ ...this.snapshot, items, unreadCount: data.unreadCount });
  }

  read(data: NotificationReadData): void {
    const ids = new Set(data.ids);
    const readAt = Date.parse(data.readAt);
    const items = this.snapshot.items.map((n) =>
      n.readAt === null && (ids.has(n.id) || (data.all && Date.parse(n.createdAt) <= readAt))
        ? { ...n, readAt: data.readAt }
        : n,
    );
    this.publish({ ...this.snapshot, items, unreadCount: data.unreadCount });
  }

  /** This tab's own mark-read was answered; the event that follows brings the server's count. */
  markedRead(n: Notification): void {
    const before = this.snapshot.items.find((x) => x.id === n.id);
    if (!before || before.readAt !== null || n.readAt === null) return;
    const items = this.snapshot.items.map((x) => (x.id === n.id ? n : x));
    this.publish({ ...this.snapshot, items, unreadCount: Math.max(0, this.snapshot.unreadCount - 1) });
  }

  /** This tab's own read-all was answered. */
  markedAllRead(at: string, unreadCount: number): void {
    const items = this.snapshot.items.map((n) => (n.readAt === null ? { ...n, readAt: at } : n));
    this.publish({ ...this.snapshot, items, unreadCount });
  }

  clear(): void {
    this.publish({ items: [], unreadCount: 0, loaded: false, nextCursor: null });
  }

  private publish(next: NotificationSnapshot): void {
    this.snapshot = next;
    for (const l of [...this.listeners]) l();
  }
}

export type NotificationSort = 'newest' | 'priority';

export interface NotificationView {
  sort: NotificationSort;
  /** null = every category. */
  category: NotificationCategory | null;
  unreadOnly: boolean;
}

/** What the panel lists: filtered, then sorted as the server sorts (priority: highest first, then newest). */
export function viewNotifications(items: readonly Notification[], view: NotificationView): Notification[] {
  const out = items.filter(
    (n) => (view.category === null || n.category === view.category) && (!view.unreadOnly || n.readAt === null),
  );
  return view.sort === 'priority'
    ? out.sort((a, b) => b.priority - a.priority || newestFirst(a, b))
    : out.sort(newestFirst);
}

function newestFirst(a: Notification, b: Notification): number {
  return a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1;
}

function sortNewest(items: readonly Notification[]): Notification[] {
  return [...items].sort(newestFirst);
}
