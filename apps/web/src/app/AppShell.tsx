import type { User } from '@slotcast/protocol';
import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { ConnectionIndicator } from '../connection/ConnectionIndicator.js';
import { usePromptReconnect } from '../connection/prompt-reconnect.js';
import { Announcer } from '../notifications/Announcer.js';
import { type NotificationActions, NotificationCentre } from '../notifications/NotificationCentre.js';
import { useUnreadTitle } from '../notifications/unread-title.js';
import { OFFLINE_COPY } from '../offline/offline-copy.js';
import { SyncStatus } from '../offline/SyncStatus.js';
import { useOptionalLive, useSdk } from '../sdk/slotcast-context.js';
import { useServerClock } from '../time/use-now-past.js';
import { Link, navigate, usePath } from './router.js';
import '../ui/touch-targets.css';
import './phone-header.css';

const NAV: Record<User['role'], { to: string; label: string }[]> = {
  customer: [
    { to: '/', label: 'Book' },
    { to: '/bookings', label: 'My bookings' },
    { to: '/notifications', label: 'Notifications' },
    { to: '/profile', label: 'Profile' },
    { to: '/settings/notifications', label: 'Notification settings' },
  ],
  staff: [
    { to: '/', label: 'Schedule' },
    { to: '/bookings', label: 'Bookings' },
    { to: '/notifications', label: 'Notifications' },
    { to: '/settings/notifications', label: 'Notification settings' },
  ],
  admin: [
    { to: '/', label: 'All bookings' },
    { to: '/operations', label: 'Operations' },
    { to: '/insights', label: 'Insights' },
    { to: '/settings/notifications', label: 'Notification settings' },
  ],
};

/** Only a vendor's owners see its insights. */
const OWNER_NAV: Partial<Record<User['role'], { to: string; label: string }[]>> = {
  staff: [{ to: '/insights', label: 'Insights' }],
};

const ROLE_LABEL: Record<User['role'], string> = { customer: 'Customer', staff: 'Staff', admin: 'Admin' };

/** Header on every page: brand, navigation, the connection indicator, the notification centre and the user. */
export function AppShell({ user, children }: { user: User | null; children: ReactNode }) {
  const sdk = useSdk();
  const serverNow = useServerClock();
  const live = useOptionalLive();
  const [signingOut, setSigningOut] = useState(false);
  const nav = useRef<HTMLElement>(null);
  const path = usePath();
  usePromptReconnect(sdk, user !== null);
  // On a phone the navigation is one row that scrolls sideways: keep the current page's link in view.
  useEffect(() => {
    const current = nav.current?.querySelector<HTMLElement>('[aria-current="page"]');
    if (current && nav.current && nav.current.scrollWidth > nav.current.clientWidth) {
      current.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
    }
  }, [path]);
  useUnreadTitle(live);
  const actions = useMemo<NotificationActions | null>(
    () =>
      live && {
        markRead: (id) => sdk.api.notifications.markRead(id),
        readAll: () => sdk.api.notifications.readAll(),
        loadMore: () => live.loadMoreNotifications(),
      },
    [sdk, live],
  );

  const signOut = async () => {
    // Actions taken offline and not sent yet leave with the user's data: ask before losing them.
    const waiting = (await live?.waitingActions()) ?? 0;
    if (waiting > 0 && !window.confirm(OFFLINE_COPY.signOutWithPending(waiting))) return;
    setSigningOut(true);
    try {
      await live?.wipe();
      await sdk.api.auth.logout();
    } finally {
      setSigningOut(false);
      navigate('/', { replace: true });
    }
  };

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <div className="header-row">
          <Link to="/" className="brand">
            <span className="brand-mark" aria-hidden="true">
              ◆
            </span>
            Slotcast
          </Link>
          <div className="header-tools">
            <ConnectionIndicator connection={sdk.realtime} signedIn={user !== null} />
            {live && actions && <NotificationCentre store={live.notifications} actions={actions} now={serverNow} />}
          </div>
        </div>
        {/* A line of its own: "Offline — 3 changes waiting" and the refused actions must never wrap the first row. */}
        {live && (
          <div className="header-row header-sync">
            <SyncStatus sdk={sdk} />
          </div>
        )}
        {user && (
          <div className="header-row header-nav">
            <nav aria-label="Main" ref={nav}>
              <ul className="nav-list">
                {NAV[user.role]
                  .concat(OWNER_NAV[user.role] && user.isOwner ? OWNER_NAV[user.role]! : [])
                  .map((item) => (
                    <li key={item.to}>
                      <Link to={item.to} className="nav-link">
                        {item.label}
                      </Link>
                    </li>
                  ))}
              </ul>
            </nav>
            <div className="user-box">
              <span className="user-name">
                {user.name} <span className="tag">{ROLE_LABEL[user.role]}</span>
              </span>
              <button type="button" className="button button-small" onClick={signOut} disabled={signingOut}>
                {signingOut ? 'Signing out…' : 'Sign out'}
              </button>
            </div>
          </div>
        )}
      </header>
      <Announcer live={live} />
      <main id="main" className="app-main">
        {children}
      </main>
    </>
  );
}
