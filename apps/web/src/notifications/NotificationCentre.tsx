import type { Notification, NotificationCategory } from '@slotcast/protocol';
import { bookingPath, NOTIFICATION_CATEGORIES } from '@slotcast/protocol';
import { Link } from '../app/router.js';
import './notification-link.css';
import { useEffect, useId, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { relativeTime } from '../time/zoned.js';
import { describeError } from '../ui/describe-error.js';
import {
  type NotificationSort,
  type NotificationStore,
  type NotificationView,
  viewNotifications,
} from './notification-store.js';

/** The calls the centre makes (the SDK's NotificationsApi fits; tests pass a fake). */
export interface NotificationActions {
  markRead(id: string): Promise<Notification>;
  readAll(): Promise<{ updated: number; unreadCount: number }>;
  loadMore?(): Promise<void>;
}

export const CATEGORY_LABEL: Record<NotificationCategory, string> = {
  request: 'Request',
  confirmation: 'Confirmation',
  decline: 'Decline',
  cancellation: 'Cancellation',
  change: 'Change',
  expiry: 'Expiry',
  reminder: 'Reminder',
  attendance: 'Check-in and no-show',
  system: 'System',
};

/**
 * The bell with its unread count, and a panel of notifications: sort (newest, priority), filter (category, unread
 * only), mark one or all read. Read state follows other tabs live through the store, which the private
 * notification events feed.
 */
export function NotificationCentre({
  store,
  actions,
  now = Date.now,
}: {
  store: NotificationStore;
  actions: NotificationActions;
  /** Now by the server's clock, which notification times are in (a phone's own may be off). */
  now?: () => number;
}) {
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const [open, setOpen] = useState(false);
  const [view, setView] = useState<NotificationView>({ sort: 'newest', category: null, unreadOnly: false });
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const bell = useRef<HTMLButtonElement>(null);
  const root = useRef<HTMLDivElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const id = useId();
  const items = useMemo(() => viewNotifications(snapshot.items, view), [snapshot.items, view]);
  const unread = snapshot.unreadCount;
  const badge = unread > 99 ? '99+' : String(unread);

  const close = () => {
    setOpen(false);
    bell.current?.focus();
  };

  // While open: Escape closes it wherever focus is (a button that just disappeared leaves it on the body), and a
  // click outside closes it without moving focus.
  useEffect(() => {
    if (!open) return;
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      bell.current?.focus();
    };
    const onPointer = (e: PointerEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);
  const markRead = async (n: Notification) => {
    setBusy(n.id);
    setMessage(null);
    try {
      store.markedRead(await actions.markRead(n.id));
      // Its button is gone: keep keyboard focus inside the panel rather than dropping it on the page.
      heading.current?.focus();
    } catch (err) {
      setMessage({ error: true, text: `Could not mark it read: ${describeError(err)}` });
    } finally {
      setBusy(null);
    }
  };
  const readAll = async () => {
    setBusy('all');
    setMessage(null);
    try {
      const res = await actions.readAll();
      store.markedAllRead(new Date().toISOString(), res.unreadCount);
      setMessage({
        error: false,
        text: res.updated === 1 ? '1 notification marked read.' : `${res.updated} notifications marked read.`,
      });
    } catch (err) {
      setMessage({ error: true, text: `Could not mark all read: ${describeError(err)}` });
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="notif" ref={root}>
      <button
        ref={bell}
        type="button"
        className="bell"
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        aria-label={`Notifications, ${unread} unread`}
        onClick={() => (open ? close() : setOpen(true))}
        data-testid="notification-bell"
      >
        <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
          />
        </svg>
        {unread > 0 && (
          <span className="badge" aria-hidden="true" data-testid="unread-count">
            {badge}
          </span>
        )}
      </button>
      <section
        id={`${id}-panel`}
        className="notif-panel"
        aria-labelledby={`${id}-title`}
        hidden={!open}
        data-testid="notification-panel"
      >
        <div className="panel-head">
          <h2 id={`${id}-title`} ref={heading} tabIndex={-1}>
            Notifications
          </h2>
          <button type="button" className="button button-small" onClick={close}>
            Close<span className="visually-hidden"> notifications</span>
          </button>
        </div>
        <p className="muted" aria-live="polite" data-testid="unread-summary">
          {unread === 0 ? 'All read' : `${unread} unread`}
        </p>
        <div className="notif-controls">
          <div className="form-row inline">
            <label htmlFor={`${id}-sort`}>Sort</label>
            <select
              id={`${id}-sort`}
              value={view.sort}
              onChange={(e) => setView({ ...view, sort: e.target.value as NotificationSort })}
            >
              <option value="newest">Newest first</option>
              <option value="priority">Priority first</option>
            </select>
          </div>
          <div className="form-row inline">
            <label htmlFor={`${id}-cat`}>Category</label>
            <select
              id={`${id}-cat`}
              value={view.category ?? ''}
              onChange={(e) => setView({ ...view, category: (e.target.value || null) as NotificationCategory | null })}
            >
              <option value="">All</option>
              {NOTIFICATION_CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {CATEGORY_LABEL[c]}
                </option>
              ))}
            </select>
          </div>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={view.unreadOnly}
              onChange={(e) => setView({ ...view, unreadOnly: e.target.checked })}
            />
            Unread only
          </label>
          <button
            type="button"
            className="button button-small"
            disabled={unread === 0 || busy !== null}
            onClick={readAll}
          >
            Mark all read
          </button>
        </div>
        {message && (
          <p className={message.error ? 'error-text' : 'result-ok'} role={message.error ? 'alert' : 'status'}>
            {message.text}
          </p>
        )}
        {items.length === 0 ? (
          <p className="empty">
            {snapshot.items.length === 0 ? 'No notifications yet.' : 'No notifications match these filters.'}
          </p>
        ) : (
          <ul className="notif-list" aria-label="Notifications list">
            {items.map((n) => (
              <li
                key={n.id}
                className={`notif-item${n.readAt === null ? ' is-unread' : ''}`}
                data-notification-id={n.id}
              >
                <p className="notif-title">
                  {n.readAt === null && (
                    <span className="unread-dot" aria-hidden="true">
                      ●{' '}
                    </span>
                  )}
                  {n.title}
                </p>
                <p className="notif-body">{n.body}</p>
                {n.bookingId && (
                  <Link
                    to={bookingPath(n.bookingId)}
                    className="notif-link"
                    onClick={() => {
                      if (n.readAt === null) void markRead(n);
                      // The booking page's heading takes focus; the bell need not.
                      setOpen(false);
                    }}
                  >
                    Open booking<span className="visually-hidden">: {n.title}</span>
                  </Link>
                )}
                <p className="notif-meta">
                  <span className="tag">{CATEGORY_LABEL[n.category]}</span>
                  {n.priority === 2 && <span className="tag tag-important">Important</span>}
                  <span>{relativeTime(n.createdAt, now())}</span>
                  <span className="read-state">{n.readAt === null ? 'Unread' : 'Read'}</span>
                </p>
                {n.readAt === null && (
                  <button
                    type="button"
                    className="button button-small"
                    disabled={busy !== null}
                    onClick={() => markRead(n)}
                  >
                    Mark read<span className="visually-hidden">: {n.title}</span>
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
        {snapshot.nextCursor && actions.loadMore && (
          <button type="button" className="button button-small" onClick={() => void actions.loadMore?.()}>
            Load older notifications
          </button>
        )}
      </section>
    </div>
  );
}
