import { API_PREFIX, APP_PATHS, ROUTES, UNSUBSCRIBE_PAGES } from '@slotcast/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { UnsubscribeTokens } from '../../mail/unsubscribe-tokens.js';
import type { PreferenceService } from '../../usecases/notification-preferences.js';
import { type RouteDeps, routeHandlers } from '../route.js';

/**
 * The one-click unsubscribe link of notification mails (RFC 8058). Public: the signed token in the link is the only
 * authority, and it can do one thing (turn one category's email off for one user). Registered in a scope of its
 * own so that form bodies are read here and nowhere else: a form is what a cross-site page can post without a
 * preflight, and every other route takes JSON only.
 */
export function unsubscribeRoutes(
  app: FastifyInstance,
  deps: RouteDeps & { preferences: PreferenceService; unsubscribeTokens: UnsubscribeTokens },
) {
  const { preferences, unsubscribeTokens } = deps;
  void app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
      done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );
    // RFC 8058's own example posts multipart/form-data; the platform's form-data parser reads it.
    scope.addContentTypeParser(
      'multipart/form-data',
      { parseAs: 'buffer' },
      async (req: FastifyRequest, body: Buffer) => {
        const form = await new Response(new Uint8Array(body), {
          headers: { 'content-type': String(req.headers['content-type']) },
        }).formData();
        return Object.fromEntries([...form].filter((e): e is [string, string] => typeof e[1] === 'string'));
      },
    );
    // The token is in the query: request log lines name the path only, so no log holds a working link.
    scope.addHook('onRoute', (route) => {
      route.logSerializers = {
        req: (req: FastifyRequest) => ({ method: req.method, url: req.url.split('?')[0], remoteAddress: req.ip }),
      };
    });
    const handle = routeHandlers(scope, deps);
    const preferencesLink = APP_PATHS.notificationSettings;

    handle(ROUTES.showUnsubscribe, async ({ query, reply }) => {
      const { category } = await unsubscribeTokens.verify(query.token);
      // The page holds the link's token (in its form): no cache keeps it.
      reply.header('cache-control', 'no-store');
      const action = `${API_PREFIX}${ROUTES.unsubscribe.path}?token=${encodeURIComponent(query.token)}`;
      return { body: UNSUBSCRIBE_PAGES.confirm({ category, action, preferencesLink }) };
    });
    handle(ROUTES.unsubscribe, async ({ query, reply }) => {
      const { userId, category } = await unsubscribeTokens.verify(query.token);
      await preferences.turnOffEmail(userId, category);
      // Whoever posted learns nothing about the user: the page is the same for every valid link of this category.
      reply.header('cache-control', 'no-store');
      return { body: UNSUBSCRIBE_PAGES.done({ category, preferencesLink }) };
    });
  });
}
