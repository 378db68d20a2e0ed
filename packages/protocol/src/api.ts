import { z } from 'zod';
import {
  Booking,
  BookingStatus,
  HoursException,
  Id,
  IsoDate,
  IsoDateTime,
  Resource,
  Service,
  Slot,
  TimeZone,
  User,
  Vendor,
  WeeklyHours,
} from './entities.js';

export const Email = z
  .email()
  .max(254)
  .transform((e) => e.toLowerCase());
const Password = z.string().min(10, 'at least 10 characters').max(200);
const Reason = z.string().trim().min(1).max(500);
const Version = z.number().int().positive();

// --- auth ---
export const RegisterRequest = z.strictObject({
  email: Email,
  password: Password,
  name: z.string().trim().min(1).max(120),
});
export const LoginRequest = z.strictObject({ email: Email, password: z.string().min(1).max(200) });
/**
 * Browsers send `{}` with the header `X-Slotcast-Session: cookie`: the refresh token is then the HttpOnly cookie
 * (SESSION_COOKIE), out of reach of page scripts. Other clients (Node, load tests) send it in the body.
 */
export const RefreshRequest = z.strictObject({ refreshToken: z.string().min(10).max(500).optional() });
export const LogoutRequest = RefreshRequest;
/** The header a browser sends on every auth request to use the cookie; a cross-site form or link cannot set it. */
export const SESSION_MODE_HEADER = 'x-slotcast-session';
/** The HttpOnly, Secure, SameSite=Strict cookie holding the refresh token, sent only to the auth routes. */
export const SESSION_COOKIE = { name: 'slotcast_refresh', path: '/api/v1/auth' } as const;
export const TokenPair = z.object({
  accessToken: z.string(),
  accessTokenExpiresAt: IsoDateTime,
  refreshToken: z.string(),
  user: User,
});
export type TokenPair = z.infer<typeof TokenPair>;
/** What sign-in and refresh answer: a TokenPair, without the refresh token when it went into the cookie. */
export const Session = TokenPair.extend({ refreshToken: z.string().optional() });
export type Session = z.infer<typeof Session>;

// --- vendors, resources, services ---
export const CreateVendorRequest = z.strictObject({
  name: z.string().trim().min(1).max(120),
  slug: z.string().regex(/^[a-z0-9-]{2,60}$/),
  autoConfirm: z.boolean().default(false),
  cancellationCutoffMinutes: z
    .number()
    .int()
    .min(0)
    .max(60 * 24 * 30)
    .default(120),
  requestTtlMinutes: z
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 7)
    .default(60),
  rescheduleCutoffMinutes: z
    .number()
    .int()
    .min(0)
    .max(60 * 24 * 30)
    .default(120),
  rescheduleNeedsConfirmation: z.boolean().default(false),
});
export const UpdateVendorRequest = z.strictObject({
  name: z.string().trim().min(1).max(120).optional(),
  autoConfirm: z.boolean().optional(),
  cancellationCutoffMinutes: z
    .number()
    .int()
    .min(0)
    .max(60 * 24 * 30)
    .optional(),
  requestTtlMinutes: z
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 7)
    .optional(),
  rescheduleCutoffMinutes: z
    .number()
    .int()
    .min(0)
    .max(60 * 24 * 30)
    .optional(),
  rescheduleNeedsConfirmation: z.boolean().optional(),
});
export const CreateStaffRequest = z.strictObject({
  email: Email,
  password: Password,
  name: z.string().trim().min(1).max(120),
  isOwner: z.boolean().default(false),
});
export const CreateResourceRequest = z.strictObject({
  name: z.string().trim().min(1).max(120),
  timezone: TimeZone,
  slotIntervalMinutes: z.number().int().min(5).max(240).default(30),
  weeklyHours: WeeklyHours,
  exceptions: z.array(HoursException).max(366).default([]),
});
export const UpdateResourceHoursRequest = z.strictObject({
  weeklyHours: WeeklyHours.optional(),
  exceptions: z.array(HoursException).max(366).optional(),
});
export const CreateServiceRequest = z.strictObject({
  name: z.string().trim().min(1).max(120),
  durationMinutes: z
    .number()
    .int()
    .min(5)
    .max(24 * 60),
  bufferBeforeMinutes: z.number().int().min(0).max(240).default(0),
  bufferAfterMinutes: z.number().int().min(0).max(240).default(0),
  priceMinor: z.number().int().min(0).max(100_000_000),
  currency: z.string().regex(/^[A-Z]{3}$/),
  resourceIds: z.array(Id).min(1).max(100),
});

export const AvailabilityQuery = z.strictObject({
  serviceId: Id,
  from: IsoDate,
  to: IsoDate,
  /**
   * A booking the caller is moving: its own time counts as free, so it can move by a quarter of an hour onto part of
   * its old interval. Only for a caller who may see that booking (NOT_FOUND otherwise, as for reading it).
   */
  moving: Id.optional(),
});
export const AvailabilityResponse = z.object({
  resourceId: Id,
  serviceId: Id,
  timezone: TimeZone,
  slots: z.array(Slot),
});

// --- bookings ---
export const CreateBookingRequest = z.strictObject({
  resourceId: Id,
  serviceId: Id,
  startAt: IsoDateTime,
  note: z.string().max(1000).optional(),
  /** Staff and admins book on behalf of a customer; customers book for themselves. */
  customerId: Id.optional(),
});
export const TransitionRequest = z.strictObject({ version: Version, reason: Reason.optional() });
export const RescheduleRequest = z.strictObject({
  version: Version,
  startAt: IsoDateTime,
  resourceId: Id.optional(),
  reason: Reason.optional(),
});
export const BOOKING_ACTIONS = ['confirm', 'decline', 'cancel', 'check-in', 'no-show', 'complete'] as const;
export const BookingAction = z.enum(BOOKING_ACTIONS);
export type BookingAction = z.infer<typeof BookingAction>;

export const ListBookingsQuery = z.strictObject({
  status: z
    .union([
      BookingStatus,
      z.string().transform((s, ctx) => {
        const parts = s.split(',');
        for (const p of parts) {
          if (!BookingStatus.safeParse(p).success) {
            ctx.addIssue({ code: 'custom', message: `unknown status ${p}` });
            return z.NEVER;
          }
        }
        return parts as BookingStatus[];
      }),
    ])
    .optional(),
  resourceId: Id.optional(),
  from: IsoDateTime.optional(),
  to: IsoDateTime.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const Page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
export const BookingPage = Page(Booking);

export const SlotTakenDetails = z.object({
  conflict: z.object({ startAt: IsoDateTime, endAt: IsoDateTime }).nullable(),
  nextFreeSlots: z.array(Slot),
});

export const IdParams = z.strictObject({ id: Id });
export const BookingActionParams = z.strictObject({ id: Id, action: BookingAction });
export const VendorList = z.array(Vendor);
export const ResourceList = z.array(Resource);
export const ServiceList = z.array(Service);

export type CreateBookingRequest = z.infer<typeof CreateBookingRequest>;
export type ListBookingsQuery = z.infer<typeof ListBookingsQuery>;
export type CreateResourceRequest = z.infer<typeof CreateResourceRequest>;
export type CreateServiceRequest = z.infer<typeof CreateServiceRequest>;
export type CreateVendorRequest = z.infer<typeof CreateVendorRequest>;

// --- profile ---
/** Phone numbers as people type them: digits with an optional leading +, spaces, dashes, dots and brackets. */
export const Phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ()./-]{5,30}$/, 'expected a phone number such as +49 30 1234567');
export const UpdateProfileRequest = z.strictObject({
  name: z.string().trim().min(1).max(120).optional(),
  phone: Phone.nullable().optional(),
  timezone: TimeZone.nullable().optional(),
  sharePhone: z.boolean().optional(),
  shareEmail: z.boolean().optional(),
});
export type UpdateProfileRequest = z.infer<typeof UpdateProfileRequest>;

// --- booking timeline ---
/** One entry of a booking's history, from the event log: what happened, when, and who did it. */
export const TimelineEntry = z.object({
  id: z.number().int(),
  type: z.string(),
  occurredAt: IsoDateTime,
  status: BookingStatus,
  previousStatus: BookingStatus.nullable(),
  startAt: IsoDateTime,
  previous: z.object({ startAt: IsoDateTime, endAt: IsoDateTime, resourceId: Id }).optional(),
  reason: z.string().nullable(),
  actor: z.object({
    role: z.enum(['customer', 'staff', 'admin', 'system']),
    /** True when the reader made this change. */
    you: z.boolean(),
    /** The actor's name, when the reader may know it (staff and admins see names; customers see their own). */
    name: z.string().nullable(),
  }),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;
export const BookingTimeline = z.object({ bookingId: Id, items: z.array(TimelineEntry) });
export type BookingTimeline = z.infer<typeof BookingTimeline>;

// --- admin ---
const PresenceCounts = z.object({
  total: z.number().int().min(0),
  byRole: z.object({ customer: z.number().int(), staff: z.number().int(), admin: z.number().int() }),
});
/** Open sockets across the cluster: in total, by role, and by node. */
export const PresenceResponse = PresenceCounts.extend({
  byNode: z.array(PresenceCounts.extend({ node: z.string() })),
});
export type PresenceResponse = z.infer<typeof PresenceResponse>;
