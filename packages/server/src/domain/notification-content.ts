import type { BookingEventData, NotificationCategory } from '@slotcast/protocol';

export type Audience = 'customer' | 'staff';

export interface NotificationDraft {
  audience: Audience;
  category: NotificationCategory;
  priority: 1 | 2;
  title: string;
  body: string;
}

export interface BookingContext {
  serviceName: string;
  resourceName: string;
  vendorName: string;
  customerName: string;
}

// Building an Intl formatter costs far more than using one; this runs for every booking event, so keep one per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

/** When, in the resource's own time zone, e.g. "Tue 3 Dec, 14:00". */
export function formatWhen(iso: string, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f.format(new Date(iso));
}

/**
 * Who is told about a booking event, and what. The party who made the change is not told about it; the other side
 * is. Pure: the worker supplies names, this decides wording, category and priority.
 */
export function draftNotifications(type: string, d: BookingEventData, ctx: BookingContext): NotificationDraft[] {
  const b = d.booking;
  const when = formatWhen(b.startAt, b.timezone);
  const what = `${ctx.serviceName} · ${when} (${ctx.resourceName})`;
  const byCustomer = d.actor.role === 'customer';
  const reason = d.reason ? ` Reason: ${d.reason}` : '';
  switch (type) {
    case 'booking.requested':
      return [
        {
          audience: 'staff',
          category: 'request',
          priority: 2,
          title: 'New booking request',
          body: `${ctx.customerName} · ${what}`,
        },
      ];
    case 'booking.confirmed':
      // Confirmed at creation (the vendor auto-confirms): news for the staff, not the customer who just booked.
      if (d.previousStatus === null) {
        return [
          {
            audience: 'staff',
            category: 'confirmation',
            priority: 1,
            title: 'New booking',
            body: `${ctx.customerName} · ${what}`,
          },
        ];
      }
      return [
        {
          audience: 'customer',
          category: 'confirmation',
          priority: 1,
          title: 'Booking confirmed',
          body: `${ctx.vendorName} · ${what}`,
        },
      ];
    case 'booking.declined':
      return [
        {
          audience: 'customer',
          category: 'decline',
          priority: 2,
          title: 'Booking declined',
          body: `${ctx.vendorName} · ${what}.${reason}`,
        },
      ];
    case 'booking.cancelled':
      return byCustomer
        ? [
            {
              audience: 'staff',
              category: 'cancellation',
              priority: 2,
              title: 'Booking cancelled by the customer',
              body: `${ctx.customerName} · ${what}.${reason}`,
            },
          ]
        : [
            {
              audience: 'customer',
              category: 'cancellation',
              priority: 2,
              title: 'Your booking was cancelled',
              body: `${ctx.vendorName} · ${what}.${reason}`,
            },
          ];
    case 'booking.expired':
      return [
        {
          audience: 'customer',
          category: 'expiry',
          priority: 2,
          title: 'Booking request expired',
          body: `${ctx.vendorName} did not confirm in time · ${what}`,
        },
      ];
    case 'booking.rescheduled': {
      const before = d.previous ? ` (was ${formatWhen(d.previous.startAt, b.timezone)})` : '';
      return byCustomer
        ? [
            {
              audience: 'staff',
              category: 'change',
              priority: 1,
              title: 'Booking moved by the customer',
              body: `${ctx.customerName} · ${what}${before}`,
            },
          ]
        : [
            {
              audience: 'customer',
              category: 'change',
              priority: 2,
              title: 'Your booking was moved',
              body: `${ctx.vendorName} · ${what}${before}.${reason}`,
            },
          ];
    }
    default:
      return [];
  }
}
