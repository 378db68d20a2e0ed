import {
  Notification,
  type NotificationCategory,
  NotificationPage as NotificationPageSchema,
  ReadAllResponse,
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

const id = encodeURIComponent;

/** The signed-in user's notifications. Marking read is idempotent, so it is re-sent after a lost answer. */
export class NotificationsApi {
  constructor(private readonly http: HttpTransport) {}

  list(filters: NotificationFilters = {}, opts: RequestOptions = {}): Promise<NotificationPage> {
    return this.http.request({
      method: 'GET',
      path: '/notifications',
      query: { ...filters },
      auth: true,
      schema: NotificationPageSchema,
      ...opts,
    });
  }

  markRead(notificationId: string, opts: RequestOptions = {}): Promise<Notification> {
    return this.http.request({
      method: 'POST',
      path: `/notifications/${id(notificationId)}/read`,
      auth: true,
      schema: Notification,
      safeToResend: true,
      ...opts,
    });
  }

  readAll(opts: RequestOptions = {}): Promise<z.infer<typeof ReadAllResponse>> {
    return this.http.request({
      method: 'POST',
      path: '/notifications/read-all',
      auth: true,
      schema: ReadAllResponse,
      safeToResend: true,
      ...opts,
    });
  }
}
