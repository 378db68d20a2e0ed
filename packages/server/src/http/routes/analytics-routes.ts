import { ROUTES } from '@slotcast/protocol';
import type { FastifyInstance } from 'fastify';
import type { AnalyticsService } from '../../usecases/analytics.js';
import type { EngagementService } from '../../usecases/engagement.js';
import { type RouteDeps, routeHandlers } from '../route.js';

export function analyticsRoutes(
  app: FastifyInstance,
  deps: RouteDeps & { analytics: AnalyticsService; engagement: EngagementService },
) {
  const handle = routeHandlers(app, deps);
  handle(ROUTES.analyticsHeatmap, async ({ caller, query }) => ({ body: await deps.analytics.heatmap(caller, query) }));
  handle(ROUTES.analyticsTrends, async ({ caller, query }) => ({ body: await deps.analytics.trends(caller, query) }));
  handle(ROUTES.analyticsVendorInsights, async ({ caller, query }) => ({
    body: await deps.analytics.vendorInsights(caller, query),
  }));
  handle(ROUTES.analyticsEngagement, async ({ caller, query }) => ({
    body: await deps.engagement.engagement(caller, query),
  }));
  handle(ROUTES.analyticsSocketHeatmap, async ({ caller, query }) => ({
    body: await deps.engagement.socketHeatmap(caller, query),
  }));
}
