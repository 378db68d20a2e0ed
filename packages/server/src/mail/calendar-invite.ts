import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';

export interface CalendarBooking {
  id: string;
  start: Date;
  end: Date;
  /** Every change of a booking raises its version: calendars take the copy with the highest SEQUENCE. */
  version: number;
  summary: string;
  location: string;
  url: string;
}

/**
 * An iCalendar file for one booking (RFC 5545/5546). The UID is the booking's, so a reschedule replaces the event a
 * calendar already holds and a cancellation removes it; SEQUENCE is the booking's version, which only grows. Times are
 * written in UTC: every calendar shows them in its owner's zone, and no time-zone table can go stale.
 */
export function calendarInvite(
  b: CalendarBooking,
  opts: { host: string; organizer: { name: string; email: string }; cancel: boolean; now: Date },
): { filename: string; content: string; contentType: string } {
  const method = opts.cancel ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.PUBLISH;
  const cal = ical({ prodId: { company: 'Slotcast', product: 'Slotcast', language: 'EN' }, method });
  cal.createEvent({
    id: bookingUid(b.id, opts.host),
    sequence: b.version,
    stamp: opts.now,
    start: b.start,
    end: b.end,
    summary: b.summary,
    location: b.location,
    url: b.url,
    organizer: opts.organizer,
    status: opts.cancel ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  return {
    filename: opts.cancel ? 'cancelled-booking.ics' : 'booking.ics',
    content: cal.toString(),
    // The method in the content type lets mail clients offer "add to calendar" / apply the cancellation.
    contentType: `text/calendar; charset=utf-8; method=${method}`,
  };
}

/** Stable across every mail about the booking: the booking id at the installation's host. */
export const bookingUid = (bookingId: string, host: string) => `booking-${bookingId}@${host}`;
