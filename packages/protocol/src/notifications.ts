import { z } from 'zod';
import { Id, IsoDateTime } from './entities.js';
import { EventEnvelope } from './events.js';

export const NOTIFICATION_CATEGORIES = [
  'request',
  'confirmation',
  'decline',
  'cancellation',
  'change',
  'expiry',
  'reminder',
  /** Check-in and no-show. */
  'attendance',
  /** Messages from the platform (account, policy). */
  'system',
] as const;
export const NotificationCategory = z.enum(NOTIFICATION_CATEGORIES);
export type NotificationCategory = z.infer<typeof NotificationCategory>;

/** 2 = needs action or is bad news, 1 = good to know. */
export const NotificationPriority = z.union([z.literal(1), z.literal(2)]);

export const Notification = z.object({
  id: Id,
  bookingId: Id.nullable(),
  sourceEventId: z.number().int(),
  category: NotificationCategory,
  priority: NotificationPriority,
  title: z.string(),
  body: z.string(),
  createdAt: IsoDateTime,
  readAt: IsoDateTime.nullable(),
});
export type Notification = z.infer<typeof Notification>;

export const ListNotificationsQuery = z.strictObject({
  unreadOnly: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  category: z
    .string()
    .transform((s, ctx) => {
      const parts = s.split(',');
      for (const p of parts) {
        if (!NotificationCategory.safeParse(p).success) {
          ctx.addIssue({ code: 'custom', message: `unknown category ${p}` });
          return z.NEVER;
        }
      }
      return parts as NotificationCategory[];
    })
    .optional(),
  sort: z.enum(['newest', 'priority']).default('newest'),
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});
export type ListNotificationsQuery = z.infer<typeof ListNotificationsQuery>;

export const NotificationPage = z.object({
  items: z.array(Notification),
  nextCursor: z.string().nullable(),
  unreadCount: z.number().int(),
});
export type NotificationPage = z.infer<typeof NotificationPage>;

export const ReadAllResponse = z.object({ updated: z.number().int(), unreadCount: z.number().int() });

/** Private events (to the one user they concern): how other tabs and devices stay in step. */
export const NOTIFICATION_EVENT_TYPES = ['notification.created', 'notification.read'] as const;
export const NotificationCreatedData = z.object({ notification: Notification, unreadCount: z.number().int() });
export const NotificationReadData = z.object({
  /** The notifications now read; empty with `all` true means every one up to `readAt`. */
  ids: z.array(Id),
  all: z.boolean(),
  readAt: IsoDateTime,
  unreadCount: z.number().int(),
});
export type NotificationCreatedData = z.infer<typeof NotificationCreatedData>;
export type NotificationReadData = z.infer<typeof NotificationReadData>;

export const NotificationEvent = z.discriminatedUnion('type', [
  EventEnvelope.extend({ type: z.literal('notification.created'), data: NotificationCreatedData }),
  EventEnvelope.extend({ type: z.literal('notification.read'), data: NotificationReadData }),
]);
/** A private event to one user: a new notification, or notifications read in another tab or device. */
export type NotificationEvent = z.infer<typeof NotificationEvent>;

export const isNotificationEvent = (e: EventEnvelope): boolean =>
  (NOTIFICATION_EVENT_TYPES as readonly string[]).includes(e.type);
