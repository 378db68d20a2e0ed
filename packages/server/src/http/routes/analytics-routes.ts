import { ROUTES } from '@slotcast/protocol';
import type { FastifyInstance } from 'fastify';
import type { AnalyticsService } from '../../usecases/analytics.js';
import { type RouteDeps, routeHandlers } from '../route.js';

export function analyticsRoutes(app: FastifyInstance, deps: RouteDeps & { analytics: AnalyticsService }) {
  const handle = routeHandlers(app, deps);
  handle(ROUTES.analyticsHeatmap, async ({ caller, query }) => ({ body: await deps.analytics.heatmap(caller, query) }));
  handle(ROUTES.analyticsTrends, async ({ caller, query }) => ({ body: await deps.analytics.trends(caller, query) }));
}
