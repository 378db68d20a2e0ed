import { IdParams } from '../api.js';
import { ListNotificationsQuery, Notification, NotificationPage, ReadAllResponse } from '../notifications.js';
import { defineRoute } from './define-route.js';

const tag = 'notifications';

export const listNotifications = defineRoute({
  method: 'GET',
  path: '/notifications',
  summary: 'Your notifications, newest or highest priority first, with the unread count',
  tag,
  auth: 'required',
  query: ListNotificationsQuery,
  response: { status: 200, schema: NotificationPage, description: 'A page' },
  errors: [],
});

export const readAllNotifications = defineRoute({
  method: 'POST',
  path: '/notifications/read-all',
  summary: 'Mark every notification read (other tabs and devices follow live)',
  tag,
  auth: 'required',
  safeToRetry: true,
  response: { status: 200, schema: ReadAllResponse, description: 'How many changed' },
  errors: [],
});

export const readNotification = defineRoute({
  method: 'POST',
  path: '/notifications/:id/read',
  summary: 'Mark one notification read (other tabs and devices follow live)',
  tag,
  auth: 'required',
  params: IdParams,
  safeToRetry: true,
  response: { status: 200, schema: Notification, description: 'The notification' },
  errors: ['NOT_FOUND'],
});
