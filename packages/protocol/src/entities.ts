import { z } from 'zod';

export const Id = z.uuid();
export const IsoDateTime = z.iso.datetime({ offset: true });
export const IsoDate = z.iso.date();
export const LocalTime = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'expected HH:MM (00:00 to 24:00)');
// Zones found valid once. Building an Intl.DateTimeFormat to test a zone costs far more than the rest of an event's
// parse, and every booking event carries one. Capped: the spellings Intl accepts (any letter case) are many.
const validZones = new Set<string>();
const MAX_REMEMBERED_ZONES = 2_000;

function isTimeZone(tz: string): boolean {
  if (validZones.has(tz)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    return false;
  }
  if (validZones.size < MAX_REMEMBERED_ZONES) validZones.add(tz);
  return true;
}

export const TimeZone = z.string().refine(isTimeZone, 'expected an IANA time zone such as Europe/Berlin');

export const Role = z.enum(['customer', 'staff', 'admin']);
export type Role = z.infer<typeof Role>;

export const User = z.object({
  id: Id,
  email: z.email(),
  name: z.string(),
  role: Role,
  vendorId: Id.nullable(),
  isOwner: z.boolean(),
});
export type User = z.infer<typeof User>;

export const Vendor = z.object({
  id: Id,
  name: z.string(),
  slug: z.string(),
  autoConfirm: z.boolean(),
  cancellationCutoffMinutes: z.number().int(),
  requestTtlMinutes: z.number().int(),
  /** Customers move their own bookings up to this many minutes before the start. */
  rescheduleCutoffMinutes: z.number().int(),
  /** A customer's move of a confirmed booking makes it a request again, for staff to confirm. */
  rescheduleNeedsConfirmation: z.boolean(),
});
export type Vendor = z.infer<typeof Vendor>;

export const OpeningInterval = z
  .strictObject({ start: LocalTime, end: LocalTime })
  .refine((i) => i.start < i.end, { message: 'start must be before end' });
export type OpeningInterval = z.infer<typeof OpeningInterval>;

export const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export type Weekday = z.infer<typeof Weekday>;
export const WeeklyHours = z.partialRecord(Weekday, z.array(OpeningInterval));
export type WeeklyHours = z.infer<typeof WeeklyHours>;

/** A date whose hours replace the weekly ones; empty `hours` means closed. */
export const HoursException = z.strictObject({ date: IsoDate, hours: z.array(OpeningInterval) });
export type HoursException = z.infer<typeof HoursException>;

export const Resource = z.object({
  id: Id,
  vendorId: Id,
  name: z.string(),
  timezone: TimeZone,
  slotIntervalMinutes: z.number().int(),
  weeklyHours: WeeklyHours,
  exceptions: z.array(HoursException),
});
export type Resource = z.infer<typeof Resource>;

export const Service = z.object({
  id: Id,
  vendorId: Id,
  name: z.string(),
  durationMinutes: z.number().int(),
  bufferBeforeMinutes: z.number().int(),
  bufferAfterMinutes: z.number().int(),
  priceMinor: z.number().int(),
  currency: z.string().length(3),
  resourceIds: z.array(Id),
});
export type Service = z.infer<typeof Service>;

export const BookingStatus = z.enum([
  'requested',
  'confirmed',
  'declined',
  'cancelled',
  'expired',
  'checked_in',
  'no_show',
  'completed',
]);
export type BookingStatus = z.infer<typeof BookingStatus>;

/** Statuses that hold their time slot (the exclusion constraint covers exactly these). */
export const ACTIVE_STATUSES = ['requested', 'confirmed', 'checked_in'] as const satisfies readonly BookingStatus[];

export const Actor = z.object({
  userId: Id.nullable(),
  role: z.enum(['customer', 'staff', 'admin', 'system']),
});
export type Actor = z.infer<typeof Actor>;

/** Who booked, as the vendor's staff and admins see it: contact fields only when the customer shares them. */
export const BookingCustomer = z.object({
  name: z.string(),
  email: z.email().nullable(),
  phone: z.string().nullable(),
});
export type BookingCustomer = z.infer<typeof BookingCustomer>;

/** A user's own profile: what they tell vendors about themselves. */
export const Profile = z.object({
  name: z.string(),
  email: z.email(),
  phone: z.string().nullable(),
  timezone: TimeZone.nullable(),
  sharePhone: z.boolean(),
  shareEmail: z.boolean(),
});
export type Profile = z.infer<typeof Profile>;

export const Booking = z.object({
  id: Id,
  vendorId: Id,
  resourceId: Id,
  serviceId: Id,
  customerId: Id,
  status: BookingStatus,
  startAt: IsoDateTime,
  endAt: IsoDateTime,
  timezone: TimeZone,
  version: z.number().int(),
  note: z.string().nullable(),
  priceMinor: z.number().int(),
  currency: z.string(),
  statusReason: z.string().nullable(),
  updatedBy: Actor,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  /**
   * Present only in REST answers to the booking vendor's staff and to admins; never in events (the event log is
   * kept for replay and carries no personal details).
   */
  customer: BookingCustomer.optional(),
});
export type Booking = z.infer<typeof Booking>;

export const Slot = z.object({
  startAt: IsoDateTime,
  endAt: IsoDateTime,
  localStart: z.string(),
  localEnd: z.string(),
});
export type Slot = z.infer<typeof Slot>;
