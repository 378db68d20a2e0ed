import { useEffect, useSyncExternalStore } from 'react';
import type { LiveSession } from '../sdk/live-session.js';

const EMPTY = { subscribe: () => () => {}, getSnapshot: () => 0 };
const PREFIX = /^\(\d+\+?\) /;

/** "(3) Slotcast": the unread count in the tab's title, so a background tab shows that something arrived. */
export function useUnreadTitle(live: LiveSession | null): void {
  const store = live?.notifications;
  const unread = useSyncExternalStore(
    store?.subscribe ?? EMPTY.subscribe,
    store ? () => store.getSnapshot().unreadCount : EMPTY.getSnapshot,
  );
  useEffect(() => {
    const base = document.title.replace(PREFIX, '');
    document.title = unread > 0 ? `(${unread > 99 ? '99+' : unread}) ${base}` : base;
  }, [unread]);
}
