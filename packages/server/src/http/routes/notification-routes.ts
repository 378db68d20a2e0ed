import { IdParams, ListNotificationsQuery, Notification, NotificationPage, ReadAllResponse } from '@slotcast/protocol';
import type { FastifyInstance } from 'fastify';
import type { NotificationService } from '../../usecases/notifications.js';
import type { OpenApiDocument } from '../openapi.js';
import { type Authenticate, defineRoute } from '../route.js';

export function notificationRoutes(
  app: FastifyInstance,
  deps: { doc: OpenApiDocument; authenticate: Authenticate; notifications: NotificationService },
) {
  const { notifications } = deps;
  const tag = 'notifications';
  defineRoute(
    app,
    deps,
    {
      method: 'GET',
      url: '/notifications',
      summary: 'Your notifications, newest or highest priority first, with the unread count',
      tag,
      auth: 'required',
      query: ListNotificationsQuery,
      response: { status: 200, schema: NotificationPage, description: 'A page' },
      errors: [],
    },
    async ({ caller, query }) => ({ body: await notifications.list(caller!, query) }),
  );
  defineRoute(
    app,
    deps,
    {
      method: 'POST',
      url: '/notifications/read-all',
      summary: 'Mark every notification read (other tabs and devices follow live)',
      tag,
      auth: 'required',
      response: { status: 200, schema: ReadAllResponse, description: 'How many changed' },
      errors: [],
    },
    async ({ caller }) => ({ body: await notifications.markAllRead(caller!) }),
  );
  defineRoute(
    app,
    deps,
    {
      method: 'POST',
      url: '/notifications/:id/read',
      summary: 'Mark one notification read (other tabs and devices follow live)',
      tag,
      auth: 'required',
      params: IdParams,
      response: { status: 200, schema: Notification, description: 'The notification' },
      errors: ['NOT_FOUND'],
    },
    async ({ caller, params }) => ({ body: await notifications.markRead(caller!, params.id) }),
  );
}
