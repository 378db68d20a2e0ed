import {
  type HeatmapQuery,
  type HeatmapResponse,
  ROUTES,
  type TrendsQuery,
  type TrendsResponse,
} from '@slotcast/protocol';
import type { RequestOptions } from './catalog-api.js';
import type { HttpTransport } from './http-transport.js';

/** Insights from the analytics rollups: admins for any vendor or all, a vendor's owners for their own. */
export class AnalyticsApi {
  constructor(private readonly http: HttpTransport) {}

  heatmap(query: HeatmapQuery, opts: RequestOptions = {}): Promise<HeatmapResponse> {
    return this.http.call(ROUTES.analyticsHeatmap, { query }, opts);
  }

  trends(query: TrendsQuery, opts: RequestOptions = {}): Promise<TrendsResponse> {
    return this.http.call(ROUTES.analyticsTrends, { query }, opts);
  }
}
