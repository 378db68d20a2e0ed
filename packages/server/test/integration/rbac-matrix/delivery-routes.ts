import { MailOpenMarks } from '../../../src/mail/open-marks.js';
import { TEST_JWT_SECRET } from '../../support/server.js';
import {
  aliceCancelToken,
  aliceDevice,
  aliceNotification,
  aliceUnsubscribeToken,
  all,
  type MatrixCase,
  managers,
  signedIn,
  unique,
} from './context.js';

/** Push, mail links, notifications and their preferences, analytics. */
export const DELIVERY_ROUTES: Record<string, MatrixCase[]> = {
  'GET /api/v1/push/vapid-key': [{ request: async () => ({ path: '/push/vapid-key' }), expected: all(200) }],
  'POST /api/v1/push/subscriptions': [
    {
      request: async () => ({
        path: '/push/subscriptions',
        body: { provider: 'fcm', token: `fcm-token-${unique()}` },
      }),
      expected: signedIn(201),
    },
  ],
  'GET /api/v1/push/subscriptions': [
    { request: async () => ({ path: '/push/subscriptions' }), expected: signedIn(200) },
  ],
  'DELETE /api/v1/push/subscriptions/{id}': [
    {
      variant: "Alice's device",
      request: async (ctx) => ({ path: `/push/subscriptions/${await aliceDevice(ctx)}` }),
      expected: { ...signedIn(404), 'customer (own booking)': 204 },
    },
  ],
  'POST /api/v1/push/actions': [
    {
      variant: "Alice's cancel token, pressed by anyone: done once, the same answer for all",
      request: async (ctx) => ({ path: '/push/actions', body: { token: await aliceCancelToken(ctx) } }),
      expected: all(200),
    },
  ],
  // The mark is the only authority, and all it does is count a message as opened once: the same for every caller
  // (a made-up mark: push.test.ts).
  'POST /api/v1/push/opens': [
    {
      variant: 'a genuine mark (of a message long pruned): nothing to count, no error',
      request: async () => ({ path: '/push/opens', body: { marks: [new MailOpenMarks(TEST_JWT_SECRET).sign(1e12)] } }),
      expected: all(204),
    },
  ],
  // The signed link is the only authority: whoever holds Alice's link (her mail provider, anyone) gets the same answer.
  'GET /api/v1/mail/unsubscribe': [
    {
      variant: "Alice's expiry-mail link: a page, nothing changed",
      request: async ({ w }) => ({ path: `/mail/unsubscribe?token=${await aliceUnsubscribeToken(w)}` }),
      expected: all(200),
    },
  ],
  'POST /api/v1/mail/unsubscribe': [
    {
      variant: "Alice's expiry-mail link, one-click: her cell only",
      request: async ({ w }) => ({
        path: `/mail/unsubscribe?token=${await aliceUnsubscribeToken(w)}`,
        body: { 'List-Unsubscribe': 'One-Click' },
      }),
      expected: all(200),
    },
  ],
  'GET /api/v1/analytics/heatmap': [
    {
      variant: "vendor A's",
      request: async ({ w }) => ({
        path: `/analytics/heatmap?metric=made&from=2026-01-01&to=2026-01-31&vendorId=${w.a.vendor.id}`,
      }),
      expected: managers(200),
    },
    {
      variant: 'own vendor (no vendorId)',
      request: async () => ({ path: '/analytics/heatmap?metric=made&from=2026-01-01&to=2026-01-31' }),
      expected: { ...managers(200), 'owner of another vendor': 200 },
    },
  ],
  'GET /api/v1/analytics/trends': [
    {
      request: async ({ w }) => ({ path: `/analytics/trends?days=7&vendorId=${w.a.vendor.id}` }),
      expected: managers(200),
    },
  ],
  'GET /api/v1/analytics/vendor-insights': [
    {
      variant: "vendor A's",
      request: async ({ w }) => ({ path: `/analytics/vendor-insights?days=30&vendorId=${w.a.vendor.id}` }),
      expected: managers(200),
    },
    {
      variant: 'own vendor (no vendorId)',
      request: async () => ({ path: '/analytics/vendor-insights?days=7' }),
      expected: { ...managers(200), 'owner of another vendor': 200 },
    },
  ],
  'GET /api/v1/analytics/engagement': [
    { request: async () => ({ path: '/analytics/engagement?days=30' }), expected: { ...signedIn(403), admin: 200 } },
  ],
  'GET /api/v1/analytics/socket-heatmap': [
    {
      request: async () => ({ path: '/analytics/socket-heatmap?from=2026-01-01&to=2026-01-31&timeZone=Europe/Berlin' }),
      expected: { ...signedIn(403), admin: 200 },
    },
  ],
  'GET /api/v1/notifications': [{ request: async () => ({ path: '/notifications' }), expected: signedIn(200) }],
  'POST /api/v1/notifications/read-all': [
    { request: async () => ({ path: '/notifications/read-all' }), expected: signedIn(200) },
  ],
  'POST /api/v1/notifications/{id}/read': [
    {
      variant: "Alice's",
      request: async (ctx) => ({ path: `/notifications/${await aliceNotification(ctx)}/read` }),
      expected: { ...signedIn(404), 'customer (own booking)': 200 },
    },
  ],
  // Only ever the caller's own preferences: the path names no user.
  'GET /api/v1/me/notification-preferences': [
    { request: async () => ({ path: '/me/notification-preferences' }), expected: signedIn(200) },
  ],
  'PATCH /api/v1/me/notification-preferences': [
    {
      request: async () => ({
        path: '/me/notification-preferences',
        body: { settings: [{ category: 'system', channel: 'email', enabled: true }] },
      }),
      expected: signedIn(200),
    },
  ],
  'GET /api/v1/vendors/{id}/notification-defaults': [
    {
      request: async ({ w }) => ({ path: `/vendors/${w.a.vendor.id}/notification-defaults` }),
      expected: managers(200),
    },
  ],
  'PATCH /api/v1/vendors/{id}/notification-defaults': [
    {
      request: async ({ w }) => ({
        path: `/vendors/${w.a.vendor.id}/notification-defaults`,
        body: { settings: [{ category: 'request', channel: 'email', enabled: true }] },
      }),
      expected: managers(200),
    },
  ],
  'GET /api/v1/admin/notification-frequency': [
    {
      request: async () => ({
        path: `/admin/notification-frequency?from=2030-01-01T00:00:00Z&to=2030-02-01T00:00:00Z`,
      }),
      expected: { ...signedIn(403), admin: 200 },
    },
  ],
};
