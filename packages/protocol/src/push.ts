import { z } from 'zod';
import { Id, IsoDateTime } from './entities.js';
import { NotificationCategory } from './notifications.js';

/** Web Push from browsers; FCM and APNs device tokens from native shells. */
export const PushProvider = z.enum(['webpush', 'fcm', 'apns']);
export type PushProvider = z.infer<typeof PushProvider>;

const Base64Url = z.string().regex(/^[A-Za-z0-9_-]+={0,2}$/, 'base64url');

/** What `PushSubscription.toJSON()` gives in a browser, or a native device token. */
export const SubscribePushRequest = z.discriminatedUnion('provider', [
  z.strictObject({
    provider: z.literal('webpush'),
    // Push services are HTTPS; anything else is refused before the server would ever post to it.
    endpoint: z.url({ protocol: /^https$/ }).max(2000),
    keys: z.strictObject({ p256dh: Base64Url.max(200), auth: Base64Url.max(100) }),
  }),
  z.strictObject({ provider: z.literal('fcm'), token: z.string().min(10).max(4096) }),
  z.strictObject({ provider: z.literal('apns'), token: z.string().regex(/^[0-9a-fA-F]{64,200}$/, 'hex device token') }),
]);
export type SubscribePushRequest = z.infer<typeof SubscribePushRequest>;

/** One of your devices; the endpoint itself is not echoed back (it is a bearer capability for the push service). */
export const PushDevice = z.object({
  id: Id,
  provider: PushProvider,
  userAgent: z.string().nullable(),
  createdAt: IsoDateTime,
  lastSuccessAt: IsoDateTime.nullable(),
});
export type PushDevice = z.infer<typeof PushDevice>;

export const PushDeviceList = z.object({ items: z.array(PushDevice) });
export type PushDeviceList = z.infer<typeof PushDeviceList>;

export const VapidKeyResponse = z.object({ publicKey: Base64Url });
export type VapidKeyResponse = z.infer<typeof VapidKeyResponse>;

export const PUSH_ACTIONS = ['view', 'cancel', 'confirm', 'decline'] as const;
export const PushAction = z.enum(PUSH_ACTIONS);
export type PushAction = z.infer<typeof PushAction>;

/** What a push carries to the service worker (kept well under the 4 KB Web Push limit). */
export const PushPayload = z.object({
  v: z.literal(1),
  /** The notification row: the service worker skips one it already showed (a redelivered push). */
  id: Id,
  eventId: z.number().int(),
  bookingId: Id.nullable(),
  category: NotificationCategory,
  title: z.string(),
  body: z.string(),
  /** Where a click goes, e.g. `/bookings/<id>`. */
  url: z.string(),
  /** Buttons the user may press, each with its own short-lived single-purpose token (never a session token). */
  actions: z.array(z.object({ action: PushAction, title: z.string(), token: z.string().optional() })),
  /**
   * Sent back on a click or button (POST /push/opens), it counts the message as opened in the frequency report,
   * once; it grants nothing else.
   */
  open: z.string().optional(),
});
export type PushPayload = z.infer<typeof PushPayload>;

export const PushActionRequest = z.strictObject({ token: z.string().min(20).max(2000) });
export type PushActionRequest = z.infer<typeof PushActionRequest>;

/** The `open` marks of the pushes a clicked notification stands for (several when it grouped "3 updates"). */
export const PushOpensRequest = z.strictObject({ marks: z.array(z.string().min(1).max(100)).min(1).max(20) });
export type PushOpensRequest = z.infer<typeof PushOpensRequest>;
