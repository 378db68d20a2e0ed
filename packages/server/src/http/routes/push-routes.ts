import { ROUTES } from '@slotcast/protocol';
import type { FastifyInstance } from 'fastify';
import type { PushService } from '../../usecases/push.js';
import { type RouteDeps, routeHandlers } from '../route.js';

export function pushRoutes(app: FastifyInstance, deps: RouteDeps & { push: PushService }) {
  const { push } = deps;
  const handle = routeHandlers(app, deps);

  handle(ROUTES.pushVapidKey, async () => ({ body: { publicKey: push.vapidPublicKey() } }));
  handle(ROUTES.subscribePush, async ({ caller, body, request }) => ({
    body: await push.subscribe(caller, body, request.headers['user-agent'] ?? null),
  }));
  handle(ROUTES.listPushDevices, async ({ caller }) => ({ body: { items: await push.list(caller) } }));
  handle(ROUTES.unsubscribePush, async ({ caller, params }) => {
    await push.unsubscribe(caller, params.id);
    return {};
  });
  handle(ROUTES.runPushAction, async ({ body }) => ({ body: await push.act(body.token) }));
  handle(ROUTES.recordPushOpens, async ({ body }) => {
    await push.recordOpens(body.marks);
    return {};
  });
}
