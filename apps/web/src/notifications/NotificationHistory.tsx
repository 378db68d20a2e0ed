import { useMemo, useState, useSyncExternalStore } from 'react';
import { Link } from '../app/router.js';
import { PullToRefresh } from '../refresh/PullToRefresh.js';
import { useOptionalLive } from '../sdk/slotcast-context.js';
import { formatTime } from '../time/zoned.js';
import { describeError } from '../ui/describe-error.js';
import { PageHeading } from '../ui/PageHeading.js';
import { CATEGORY_LABEL } from './NotificationCentre.js';
import { groupHistory } from './notification-history.js';

/** Every notification, by day and by booking, each booking linking to itself; live as new ones arrive. */
export function NotificationHistory() {
  const live = useOptionalLive();
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const empty = useMemo(
    () => ({
      subscribe: () => () => {},
      getSnapshot: () => ({ items: [], unreadCount: 0, loaded: false, nextCursor: null }),
    }),
    [],
  );
  const store = live?.notifications ?? empty;
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const days = useMemo(() => groupHistory(snapshot.items, timeZone), [snapshot.items, timeZone]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const loadOlder = async () => {
    setLoading(true);
    setError(null);
    try {
      await live?.loadMoreNotifications();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setLoading(false);
    }
  };

  // Reconnect (cursor + replay) and read the first page again: what arrived while the socket was closed shows.
  const refresh = async () => (live ? live.refresh() : false);

  return (
    <PullToRefresh onRefresh={refresh}>
      <PageHeading>Notifications</PageHeading>
      {snapshot.loaded && days.length === 0 && <p className="empty">No notifications yet.</p>}
      {days.map((day) => (
        <section key={day.day} aria-labelledby={`day-${day.day}`} data-testid="history-day">
          <h2 id={`day-${day.day}`}>{day.label}</h2>
          {day.bookings.map((group) => (
            <article key={group.bookingId ?? 'other'} className="card">
              <ul className="plain-list">
                {group.items.map((n) => (
                  <li key={n.id} data-unread={n.readAt === null ? 'true' : undefined}>
                    <span className="tag">{CATEGORY_LABEL[n.category]}</span> <strong>{n.title}</strong>{' '}
                    <span className="muted">{formatTime(n.createdAt, timeZone)}</span>
                    <br />
                    {n.body}
                  </li>
                ))}
              </ul>
              {group.bookingId && (
                <p>
                  <Link to={`/bookings/${group.bookingId}`}>Open the booking</Link>
                </p>
              )}
            </article>
          ))}
        </section>
      ))}
      {error && <p role="alert">{error}</p>}
      {snapshot.nextCursor && (
        <button type="button" className="button button-small" onClick={loadOlder} disabled={loading}>
          {loading ? 'Loading…' : 'Load older'}
        </button>
      )}
    </PullToRefresh>
  );
}
