import {
  type Notification,
  type NotificationCategory,
  type NotificationPage as NotificationPageSchema,
  type NotificationPreferences,
  type ReadAllResponse,
  ROUTES,
  type UpdateNotificationPreferences,
  type UpdateVendorNotificationDefaults,
  type VendorNotificationDefaults,
} from '@slotcast/protocol';
import type { z } from 'zod';
import type { RequestOptions } from './catalog-api.js';
import type { HttpTransport } from './http-transport.js';

export type NotificationPage = z.infer<typeof NotificationPageSchema>;

export interface NotificationFilters {
  unreadOnly?: boolean;
  category?: NotificationCategory | readonly NotificationCategory[];
  sort?: 'newest' | 'priority';
  cursor?: string;
  /** 1 to 100 (server default 30). */
  limit?: number;
}

/** The signed-in user's notifications. Marking read is idempotent, so it is re-sent after a lost answer. */
export class NotificationsApi {
  constructor(private readonly http: HttpTransport) {}

  list(filters: NotificationFilters = {}, opts: RequestOptions = {}): Promise<NotificationPage> {
    return this.http.call(ROUTES.listNotifications, { query: { ...filters } }, opts);
  }

  markRead(notificationId: string, opts: RequestOptions = {}): Promise<Notification> {
    return this.http.call(ROUTES.readNotification, { params: { id: notificationId } }, opts);
  }

  readAll(opts: RequestOptions = {}): Promise<z.infer<typeof ReadAllResponse>> {
    return this.http.call(ROUTES.readAllNotifications, {}, opts);
  }

  /** Your channels per category (own choices over defaults) and quiet hours. */
  preferences(opts: RequestOptions = {}): Promise<NotificationPreferences> {
    return this.http.call(ROUTES.getNotificationPreferences, {}, opts);
  }

  /** Set (`enabled: true|false`) or clear (`null`) cells, and optionally replace quiet hours. */
  updatePreferences(
    input: z.input<typeof UpdateNotificationPreferences>,
    opts: RequestOptions = {},
  ): Promise<NotificationPreferences> {
    return this.http.call(ROUTES.updateNotificationPreferences, { body: input }, opts);
  }

  vendorDefaults(vendorId: string, opts: RequestOptions = {}): Promise<VendorNotificationDefaults> {
    return this.http.call(ROUTES.getVendorNotificationDefaults, { params: { id: vendorId } }, opts);
  }

  updateVendorDefaults(
    vendorId: string,
    input: z.input<typeof UpdateVendorNotificationDefaults>,
    opts: RequestOptions = {},
  ): Promise<VendorNotificationDefaults> {
    return this.http.call(ROUTES.updateVendorNotificationDefaults, { params: { id: vendorId }, body: input }, opts);
  }
}
