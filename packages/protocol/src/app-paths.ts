/**
 * The web app's pages, as path patterns. The server answers these with the app (so a reload or a shared link works)
 * and every other path that names no file with HTTP 404; notifications and push messages link to them.
 */
export const APP_PATHS = {
  home: '/',
  bookings: '/bookings',
  booking: '/bookings/:id',
  vendor: '/vendors/:id',
  profile: '/profile',
  notifications: '/notifications',
  notificationSettings: '/settings/notifications',
  operations: '/operations',
  insights: '/insights',
} as const;

/** The link to one booking's page. */
export const bookingPath = (id: string) => `/bookings/${encodeURIComponent(id)}`;

/** `/vendors/:id` against `/vendors/abc` → { id: 'abc' }; null when it does not match. */
export function matchAppPath(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const part = p[i]!;
    if (part.startsWith(':')) {
      try {
        params[part.slice(1)] = decodeURIComponent(s[i]!);
      } catch {
        return null;
      }
    } else if (part !== s[i]) return null;
  }
  return params;
}

export const isAppPath = (path: string) => Object.values(APP_PATHS).some((p) => matchAppPath(p, path) !== null);
