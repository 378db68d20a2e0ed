import * as admin from './admin.js';
import * as analytics from './analytics.js';
import * as auth from './auth.js';
import * as bookings from './bookings.js';
import * as catalog from './catalog.js';
import * as notifications from './notifications.js';

export * from './define-route.js';

/** Every REST route, by name. The server registers a handler for each one; the SDK calls them by these objects. */
export const ROUTES = {
  ...auth,
  ...catalog,
  ...bookings,
  ...notifications,
  ...admin,
  ...analytics,
} as const;
export type RouteName = keyof typeof ROUTES;
