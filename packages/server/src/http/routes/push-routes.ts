import {
  Booking,
  IdParams,
  PushActionRequest,
  PushDevice,
  PushDeviceList,
  SubscribePushRequest,
  VapidKeyResponse,
} from '@slotcast/protocol';
import type { FastifyInstance } from 'fastify';
import type { PushService } from '../../usecases/push.js';
import type { OpenApiDocument } from '../openapi.js';
import { type Authenticate, defineRoute } from '../route.js';

export function pushRoutes(
  app: FastifyInstance,
  deps: { doc: OpenApiDocument; authenticate: Authenticate; push: PushService },
) {
  const { push } = deps;
  const tag = 'push';
  defineRoute(
    app,
    deps,
    {
      method: 'GET',
      url: '/push/vapid-key',
      summary: "The server's VAPID public key, the applicationServerKey a browser subscribes with",
      tag,
      auth: 'public',
      response: { status: 200, schema: VapidKeyResponse, description: 'The key (base64url)' },
      errors: ['NOT_FOUND'],
    },
    async () => ({ body: { publicKey: push.vapidPublicKey() } }),
  );
  defineRoute(
    app,
    deps,
    {
      method: 'POST',
      url: '/push/subscriptions',
      summary: 'Receive pushes on this device (a Web Push subscription, or an FCM/APNs device token)',
      tag,
      auth: 'required',
      body: SubscribePushRequest,
      response: { status: 201, schema: PushDevice, description: 'The device (subscribing again updates it)' },
      errors: ['NOT_FOUND'],
    },
    async ({ caller, body, request }) => ({
      body: await push.subscribe(caller!, body, request.headers['user-agent'] ?? null),
    }),
  );
  defineRoute(
    app,
    deps,
    {
      method: 'GET',
      url: '/push/subscriptions',
      summary: 'Your devices that receive pushes',
      tag,
      auth: 'required',
      response: { status: 200, schema: PushDeviceList, description: 'Your devices' },
      errors: [],
    },
    async ({ caller }) => ({ body: { items: await push.list(caller!) } }),
  );
  defineRoute(
    app,
    deps,
    {
      method: 'DELETE',
      url: '/push/subscriptions/:id',
      summary: 'Stop pushes to one of your devices',
      tag,
      auth: 'required',
      params: IdParams,
      response: { status: 204, schema: null, description: 'Removed' },
      errors: ['NOT_FOUND'],
    },
    async ({ caller, params }) => {
      await push.unsubscribe(caller!, params.id);
      return {};
    },
  );
  defineRoute(
    app,
    deps,
    {
      method: 'POST',
      url: '/push/actions',
      summary: 'Run the one booking change (confirm, decline, cancel) an action token from a push allows; once',
      tag,
      // The token is the authorisation: a service worker has no session, and must not hold one.
      auth: 'public',
      body: PushActionRequest,
      response: { status: 200, schema: Booking, description: 'The booking after the change' },
      errors: [
        'AUTH_TOKEN_INVALID',
        'AUTH_TOKEN_EXPIRED',
        'BOOKING_VERSION_CONFLICT',
        'BOOKING_TRANSITION_NOT_ALLOWED',
        'BOOKING_CANCELLATION_WINDOW_CLOSED',
        'NOT_FOUND',
        'FORBIDDEN',
      ],
    },
    async ({ body }) => ({ body: await push.act(body.token) }),
  );
}
