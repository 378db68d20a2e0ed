import * as accounts from './accounts.js';
import * as admin from './admin.js';
import * as analytics from './analytics.js';
import * as auth from './auth.js';
import * as bookings from './bookings.js';
import * as catalog from './catalog.js';
import * as mail from './mail.js';
import * as notifications from './notifications.js';
import * as preferences from './preferences.js';
import * as profile from './profile.js';
import * as push from './push.js';

export * from './define-route.js';

/** Every REST route, by name. The server registers a handler for each one; the SDK calls them by these objects. */
export const ROUTES = {
  ...auth,
  ...profile,
  ...accounts,
  ...catalog,
  ...bookings,
  ...notifications,
  ...preferences,
  ...mail,
  ...push,
  ...admin,
  ...analytics,
} as const;
export type RouteName = keyof typeof ROUTES;
