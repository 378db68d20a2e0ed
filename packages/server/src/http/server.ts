import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { DETAILS, type PresenceResponse, SlotcastError } from '@slotcast/protocol';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { LoginThrottle } from '../limits/login-throttle.js';
import type { UnsubscribeTokens } from '../mail/unsubscribe-tokens.js';
import type { AccountService } from '../usecases/accounts.js';
import type { Caller } from '../usecases/actor.js';
import type { AnalyticsService } from '../usecases/analytics.js';
import type { AuthService } from '../usecases/auth.js';
import type { BookingService } from '../usecases/bookings.js';
import type { CatalogService } from '../usecases/catalog.js';
import type { EngagementService } from '../usecases/engagement.js';
import type { PreferenceService } from '../usecases/notification-preferences.js';
import type { NotificationService } from '../usecases/notifications.js';
import type { PeopleService } from '../usecases/people.js';
import type { PushService } from '../usecases/push.js';
import { type TrustProxy, trustFunction } from './client-address.js';
import { healthRoutes, type ReadinessCheck } from './health-routes.js';
import { newOpenApiDocument } from './openapi.js';
import { answerClientError, sendProblem } from './problem.js';
import { accountRoutes } from './routes/account-routes.js';
import { adminRoutes } from './routes/admin-routes.js';
import { analyticsRoutes } from './routes/analytics-routes.js';
import { authRoutes } from './routes/auth-routes.js';
import { bookingRoutes } from './routes/booking-routes.js';
import { catalogRoutes } from './routes/catalog-routes.js';
import { notificationRoutes } from './routes/notification-routes.js';
import { preferenceRoutes } from './routes/preference-routes.js';
import { profileRoutes } from './routes/profile-routes.js';
import { pushRoutes } from './routes/push-routes.js';
import { unsubscribeRoutes } from './routes/unsubscribe-routes.js';
import { securityHeaders } from './security-headers.js';
import { sessionCookies } from './session-cookie.js';
import { validatorCompiler } from './validate.js';
import { webStatic } from './web-static.js';

export interface HttpDeps {
  /** Answers when the database does (GET /readyz). */
  pingDatabase: () => Promise<void>;
  logger: Logger;
  auth: AuthService;
  accounts: AccountService;
  catalog: CatalogService;
  notifications: NotificationService;
  preferences: PreferenceService;
  /** A mail's booking link was followed (`?n=` on an app page). */
  onMailLinkFollowed?: (mark: string) => Promise<void>;
  /** Checks the links of notification mails' one-click unsubscribe. */
  unsubscribeTokens: UnsubscribeTokens;
  bookings: BookingService;
  push: PushService;
  people: PeopleService;
  analytics: AnalyticsService;
  engagement: EngagementService;
  bodyLimit: number;
  /** Browser origins besides the server's own that may call the API (config ALLOWED_ORIGINS). */
  allowedOrigins: readonly string[];
  /** How long the refresh-token cookie lives (config REFRESH_TOKEN_TTL_DAYS). */
  refreshTtlDays: number;
  /** Config TRUST_PROXY. */
  trustProxy: TrustProxy;
  loginThrottle: LoginThrottle;
  readinessChecks?: ReadinessCheck[];
  /** Open sockets across the cluster (GET /admin/presence). */
  presence?: () => Promise<PresenceResponse>;
  isDraining: () => boolean;
  /** The built web app to serve at `/` (config WEB_DIST); unset serves the API only. */
  webDist?: string;
  /** Hooks and routes that apply to every request (metrics, rate limits, tracing), registered before the routes. */
  plugins?: ((app: FastifyInstance) => void)[];
}

export async function buildHttpServer(deps: HttpDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: deps.bodyLimit,
    // Only a configured proxy may name the client (X-Forwarded-For); rate limits and logs key on request.ip.
    trustProxy: trustFunction(deps.trustProxy),
    requestIdHeader: 'x-request-id',
    // Errors Fastify raises before routing (a URL that does not decode) get problem+json like every other.
    frameworkErrors: (err, request, reply) => sendProblem(request, reply, err),
    // And those Node's parser raises before there is a request (431 headers too large, a malformed request line).
    clientErrorHandler: answerClientError,
  });
  // The API speaks JSON only: without this, a text/plain body reaches the schemas as a string (400, not 415).
  app.removeContentTypeParser('text/plain');
  // Before the plugins' routes: awaiting a registration builds the routes declared so far, and the error handler
  // below must be set before any route is built.
  await securityHeaders(app, { allowedOrigins: deps.allowedOrigins });
  for (const plugin of deps.plugins ?? []) plugin(app);

  // Routes carry the protocol's zod schemas: Fastify validates input and serialises responses with them.
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('caller', null);
  app.decorateRequest('sentBody', undefined);
  app.setErrorHandler((err, request, reply) => sendProblem(request, reply, err));
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      request,
      reply,
      new SlotcastError('NOT_FOUND', DETAILS.noRoute(request.method, request.url.split('?')[0]!)),
    ),
  );

  const doc = newOpenApiDocument();
  await app.register(swagger, { mode: 'static', specification: { document: doc as never } });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // Its page carries inline code: its own policy with their hashes, still never framed, and no forced upgrade.
    staticCSP: true,
    transformStaticCSP: (header) =>
      header.replace("frame-ancestors 'self'", "frame-ancestors 'none'").replace(' upgrade-insecure-requests;', ''),
  });
  app.get('/api/v1/openapi.json', async () => doc);

  const authenticate = async (request: FastifyRequest): Promise<Caller | null> => {
    const header = request.headers.authorization;
    if (!header) return null;
    const match = /^Bearer ([\w.-]+)$/.exec(header);
    if (!match) throw new SlotcastError('AUTH_TOKEN_INVALID', DETAILS.bearerFormat());
    const claims = await deps.auth.authenticate(match[1]!);
    // Every later line of this request (and its completion line) names the caller.
    request.log = request.log.child({ userId: claims.userId });
    return {
      userId: claims.userId,
      role: claims.role,
      vendorId: claims.vendorId,
      isOwner: claims.isOwner,
      sessionId: claims.sessionId,
    };
  };

  const cookies = await sessionCookies(app, { refreshTtlDays: deps.refreshTtlDays });
  const routeDeps = { doc, authenticate, cookies, ...deps };
  authRoutes(app, routeDeps);
  profileRoutes(app, routeDeps);
  accountRoutes(app, routeDeps);
  catalogRoutes(app, routeDeps);
  bookingRoutes(app, routeDeps);
  notificationRoutes(app, routeDeps);
  preferenceRoutes(app, routeDeps);
  unsubscribeRoutes(app, routeDeps);
  pushRoutes(app, routeDeps);
  adminRoutes(app, routeDeps);
  analyticsRoutes(app, routeDeps);
  healthRoutes(app, {
    pingDatabase: deps.pingDatabase,
    extraChecks: deps.readinessChecks,
    isDraining: deps.isDraining,
  });
  await webStatic(app, { dist: deps.webDist, onMailLinkFollowed: deps.onMailLinkFollowed });
  return app;
}
