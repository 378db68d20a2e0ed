import { useEffect, useMemo, useState } from 'react';
import type { LiveSession } from '../sdk/live-session.js';
import { useSdk } from '../sdk/slotcast-context.js';
import { AnnouncementQueue } from './announcement-queue.js';

/**
 * The page's one polite live region, present on every page from the start (a region added with its text is often
 * not read): new requests and status changes arrive as notifications, and their titles and texts are read out here.
 */
export function Announcer({ live }: { live: LiveSession | null }) {
  const sdk = useSdk();
  const [text, setText] = useState('');
  const queue = useMemo(() => new AnnouncementQueue(setText), []);

  useEffect(() => {
    if (!live) return;
    const off = sdk.realtime.onNotificationEvent((event) => {
      if (event.type !== 'notification.created') return;
      const n = event.data.notification;
      if (n.readAt !== null) return;
      queue.push(`${n.title}. ${n.body}`);
    });
    return () => {
      off();
    };
  }, [sdk, live, queue]);
  useEffect(() => () => queue.dispose(), [queue]);

  return (
    <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="announcer">
      {text}
    </div>
  );
}
