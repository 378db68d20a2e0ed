import { z } from 'zod';
import { Id, IsoDateTime, TimeZone } from './entities.js';
import { NOTIFICATION_CATEGORIES, NotificationCategory } from './notifications.js';

/** Where a notification can reach a user. `in_app` is the notification list (and live socket event). */
export const NOTIFICATION_CHANNELS = ['in_app', 'push', 'email'] as const;
export const NotificationChannel = z.enum(NOTIFICATION_CHANNELS);
export type NotificationChannel = z.infer<typeof NotificationChannel>;

/** category → channel → on/off, complete: every category and every channel. */
export const ChannelMatrix = z.record(NotificationCategory, z.record(NotificationChannel, z.boolean()));
export type ChannelMatrix = Record<NotificationCategory, Record<NotificationChannel, boolean>>;

/** One cell of the matrix; `enabled: null` removes a user's own choice (the default applies again). */
export const ChannelSetting = z.strictObject({
  category: NotificationCategory,
  channel: NotificationChannel,
  enabled: z.boolean().nullable(),
});
export type ChannelSetting = z.infer<typeof ChannelSetting>;

const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 00:00 to 23:59');

/**
 * Quiet from `start` on each of `days` (ISO weekdays, 1 = Monday) until `end`, the next day when `end` <= `start`
 * (22:00–07:00 on Friday ends Saturday 07:00). Wall-clock times in the user's time zone.
 */
export const QuietWindow = z.strictObject({
  days: z.array(z.number().int().min(1).max(7)).min(1).max(7),
  start: ClockTime,
  end: ClockTime,
});
export type QuietWindow = z.infer<typeof QuietWindow>;

export const ReminderOffsets = z
  .array(
    z
      .number()
      .int()
      .min(5)
      .max(7 * 24 * 60),
  )
  .max(4)
  .refine((a) => new Set(a).size === a.length, 'offsets must differ');

export const QuietHours = z.strictObject({
  timeZone: TimeZone,
  windows: z.array(QuietWindow).max(14),
  /**
   * A cancellation or change of a booking starting within this many hours breaks through quiet hours; null: never.
   */
  urgentWithinHours: z.number().int().min(1).max(168).nullable(),
});
export type QuietHours = z.infer<typeof QuietHours>;

/**
 * How often a staff member hears of a category on push and email: each message as it comes, or one digest an hour
 * (at the full hour) or a day (08:00 in their time zone). In-app stays itemised whatever this says.
 */
export const DIGEST_FREQUENCIES = ['immediate', 'hourly', 'daily'] as const;
export const DigestFrequency = z.enum(DIGEST_FREQUENCIES);
export type DigestFrequency = z.infer<typeof DigestFrequency>;

export const FrequencySetting = z.strictObject({ category: NotificationCategory, frequency: DigestFrequency });
export type FrequencySetting = z.infer<typeof FrequencySetting>;

export const NotificationPreferences = z.object({
  /** What applies now: the user's own choices over the vendor's defaults (staff) over the role's defaults. */
  effective: ChannelMatrix,
  /** The user's own choices only. */
  own: z.array(ChannelSetting.extend({ enabled: z.boolean() })),
  quietHours: QuietHours,
  /** Minutes before a confirmed booking starts at which you are reminded; null: the vendor's (default 1440, 120). */
  reminderOffsetsMinutes: z.array(z.number().int()).nullable(),
  /** Staff only (absent for others): per category, how often push and email tell them; every category listed. */
  frequencies: z.record(NotificationCategory, DigestFrequency).optional(),
});
export type NotificationPreferences = z.infer<typeof NotificationPreferences>;

export const UpdateNotificationPreferences = z.strictObject({
  settings: z
    .array(ChannelSetting)
    .max(NOTIFICATION_CATEGORIES.length * NOTIFICATION_CHANNELS.length)
    .default([]),
  quietHours: QuietHours.optional(),
  /** Up to four, 5 minutes to 7 days, no repeats; [] turns reminders off; null goes back to the vendor's. */
  reminderOffsetsMinutes: ReminderOffsets.nullable().optional(),
  /** Staff only: per category, `immediate` (the default) or an hourly/daily digest on push and email. */
  frequencies: z.array(FrequencySetting).max(NOTIFICATION_CATEGORIES.length).optional(),
});

/** A vendor's defaults for its staff (cells it does not set fall back to the staff role's defaults). */
export const VendorNotificationDefaults = z.object({
  vendorId: Id,
  settings: z.array(ChannelSetting.extend({ enabled: z.boolean() })),
  effective: ChannelMatrix,
  /** Reminder offsets for this vendor's customers (who may choose their own); null: the defaults (1440, 120). */
  reminderOffsetsMinutes: z.array(z.number().int()).nullable(),
});
export type VendorNotificationDefaults = z.infer<typeof VendorNotificationDefaults>;

export const UpdateVendorNotificationDefaults = z.strictObject({
  settings: z
    .array(ChannelSetting)
    .max(NOTIFICATION_CATEGORIES.length * NOTIFICATION_CHANNELS.length)
    .default([]),
  reminderOffsetsMinutes: ReminderOffsets.nullable().optional(),
});

export const FrequencyReportQuery = z
  .strictObject({
    from: IsoDateTime,
    to: IsoDateTime,
  })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), { message: 'from must be before to', path: ['to'] });

/** Per category, over [from, to): how much was sent, how much was opened and how fast, how often it was turned off. */
export const FrequencyReport = z.object({
  from: IsoDateTime,
  to: IsoDateTime,
  categories: z.array(
    z.object({
      category: NotificationCategory,
      /** In-app notifications made. */
      sent: z.number().int(),
      /** Push and email messages handed to their sender (a digest counts once, under no category). */
      pushSent: z.number().int(),
      emailSent: z.number().int(),
      /** Of `emailSent`, those whose booking link was followed (first time each). */
      emailOpened: z.number().int(),
      /** Of `pushSent`, those clicked (the notification or one of its buttons; first time each). */
      pushOpened: z.number().int(),
      /** Of `sent`, read in the app so far. */
      opened: z.number().int(),
      /** Median seconds from made to read, over the opened ones; null when none was opened. */
      medianSecondsToOpen: z.number().nullable(),
      /** Times a user switched a channel of this category off. */
      turnedOff: z.number().int(),
    }),
  ),
});
export type FrequencyReport = z.infer<typeof FrequencyReport>;
