import { ROUTES } from '@slotcast/protocol';
import type { FastifyInstance } from 'fastify';
import type { NotificationService } from '../../usecases/notifications.js';
import { type RouteDeps, routeHandlers } from '../route.js';

export function notificationRoutes(app: FastifyInstance, deps: RouteDeps & { notifications: NotificationService }) {
  const { notifications } = deps;
  const handle = routeHandlers(app, deps);

  handle(ROUTES.listNotifications, async ({ caller, query }) => ({ body: await notifications.list(caller, query) }));
  handle(ROUTES.readAllNotifications, async ({ caller }) => ({ body: await notifications.markAllRead(caller) }));
  handle(ROUTES.readNotification, async ({ caller, params }) => ({
    body: await notifications.markRead(caller, params.id),
  }));
}
