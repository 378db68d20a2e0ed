import {
  type EngagementQuery,
  type EngagementResponse,
  type FrequencyReport,
  type HeatmapQuery,
  type HeatmapResponse,
  ROUTES,
  type SocketHeatmapQuery,
  type SocketHeatmapResponse,
  type TrendsQuery,
  type TrendsResponse,
  type VendorInsightsQuery,
  type VendorInsightsResponse,
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

  vendorInsights(query: VendorInsightsQuery, opts: RequestOptions = {}): Promise<VendorInsightsResponse> {
    return this.http.call(ROUTES.analyticsVendorInsights, { query }, opts);
  }

  /** Admins only. */
  engagement(query: EngagementQuery, opts: RequestOptions = {}): Promise<EngagementResponse> {
    return this.http.call(ROUTES.analyticsEngagement, { query }, opts);
  }

  /** Admins only. */
  socketHeatmap(query: SocketHeatmapQuery, opts: RequestOptions = {}): Promise<SocketHeatmapResponse> {
    return this.http.call(ROUTES.analyticsSocketHeatmap, { query }, opts);
  }

  /** Admins only: notifications made, opened and time to open per category (the frequency report). */
  notificationFrequency(query: { from: string; to: string }, opts: RequestOptions = {}): Promise<FrequencyReport> {
    return this.http.call(ROUTES.notificationFrequency, { query }, opts);
  }
}
