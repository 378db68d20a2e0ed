import type { Notification } from '@slotcast/protocol';
import { formatDate, zonedParts } from '../time/zoned.js';

export interface HistoryBookingGroup {
  /** null: notifications about no booking, together. */
  bookingId: string | null;
  items: Notification[];
}

export interface HistoryDay {
  /** The local date, `YYYY-MM-DD`. */
  day: string;
  label: string;
  bookings: HistoryBookingGroup[];
}

/**
 * Notifications (newest first) grouped by the local day they arrived, then by booking within a day: the order of
 * days and of groups follows each group's newest notification.
 */
export function groupHistory(items: readonly Notification[], timeZone: string): HistoryDay[] {
  const days: HistoryDay[] = [];
  const byDay = new Map<string, { day: HistoryDay; groups: Map<string, HistoryBookingGroup> }>();
  for (const n of items) {
    const key = zonedParts(n.createdAt, timeZone).date;
    let entry = byDay.get(key);
    if (!entry) {
      entry = { day: { day: key, label: formatDate(n.createdAt, timeZone), bookings: [] }, groups: new Map() };
      byDay.set(key, entry);
      days.push(entry.day);
    }
    const g = n.bookingId ?? '';
    let group = entry.groups.get(g);
    if (!group) {
      group = { bookingId: n.bookingId, items: [] };
      entry.groups.set(g, group);
      entry.day.bookings.push(group);
    }
    group.items.push(n);
  }
  return days;
}
