import { IdParams } from '../api.js';
import { Booking } from '../entities.js';
import {
  PushActionRequest,
  PushDevice,
  PushDeviceList,
  PushOpensRequest,
  SubscribePushRequest,
  VapidKeyResponse,
} from '../push.js';
import { defineRoute } from './define-route.js';

const tag = 'push';

export const pushVapidKey = defineRoute({
  method: 'GET',
  path: '/push/vapid-key',
  summary: "The server's VAPID public key, the applicationServerKey a browser subscribes with",
  tag,
  auth: 'public',
  response: { status: 200, schema: VapidKeyResponse, description: 'The key (base64url)' },
  errors: ['NOT_FOUND'],
});

export const subscribePush = defineRoute({
  method: 'POST',
  path: '/push/subscriptions',
  summary: 'Receive pushes on this device (a Web Push subscription, or an FCM/APNs device token)',
  tag,
  auth: 'required',
  body: SubscribePushRequest,
  // Subscribing the same endpoint again updates it, so a lost answer may be re-sent.
  safeToRetry: true,
  response: { status: 201, schema: PushDevice, description: 'The device (subscribing again updates it)' },
  errors: ['NOT_FOUND'],
});

export const listPushDevices = defineRoute({
  method: 'GET',
  path: '/push/subscriptions',
  summary: 'Your devices that receive pushes',
  tag,
  auth: 'required',
  response: { status: 200, schema: PushDeviceList, description: 'Your devices' },
  errors: [],
});

export const unsubscribePush = defineRoute({
  method: 'DELETE',
  path: '/push/subscriptions/:id',
  summary: 'Stop pushes to one of your devices',
  tag,
  auth: 'required',
  params: IdParams,
  response: { status: 204, schema: null, description: 'Removed' },
  errors: ['NOT_FOUND'],
});

export const runPushAction = defineRoute({
  method: 'POST',
  path: '/push/actions',
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
});

export const recordPushOpens = defineRoute({
  method: 'POST',
  path: '/push/opens',
  summary: 'Count pushes as opened (a click on the notification or one of its buttons); each once',
  tag,
  // The marks are the authorisation: each is a MAC of one message, sent only to that message's user.
  auth: 'public',
  body: PushOpensRequest,
  safeToRetry: true,
  response: {
    status: 204,
    schema: null,
    description: 'Counted (a message counted before, or since pruned, is left as is)',
  },
  errors: ['AUTH_TOKEN_INVALID'],
});
