import {
  EngagementQuery,
  EngagementResponse,
  HeatmapQuery,
  HeatmapResponse,
  SocketHeatmapQuery,
  SocketHeatmapResponse,
  TrendsQuery,
  TrendsResponse,
  VendorInsightsQuery,
  VendorInsightsResponse,
} from '../analytics.js';
import { defineRoute } from './define-route.js';

export const analyticsHeatmap = defineRoute({
  method: 'GET',
  path: '/analytics/heatmap',
  summary: 'Bookings made or appointments held by weekday and hour, in the vendor’s zone (admins; a vendor’s owners)',
  tag: 'analytics',
  auth: 'required',
  query: HeatmapQuery,
  response: { status: 200, schema: HeatmapResponse, description: 'All 168 cells' },
  errors: ['FORBIDDEN'],
  safeToRetry: true,
});

export const analyticsTrends = defineRoute({
  method: 'GET',
  path: '/analytics/trends',
  summary: 'Bookings per day over 7, 30 or 90 days against the previous period, with rates (admins; a vendor’s owners)',
  tag: 'analytics',
  auth: 'required',
  query: TrendsQuery,
  response: { status: 200, schema: TrendsResponse, description: 'Daily series and totals of both periods' },
  errors: ['FORBIDDEN'],
  safeToRetry: true,
});

export const analyticsVendorInsights = defineRoute({
  method: 'GET',
  path: '/analytics/vendor-insights',
  summary: 'Busiest resources and lead time (booking made → start) over 7, 30 or 90 days (admins; a vendor’s owners)',
  tag: 'analytics',
  auth: 'required',
  query: VendorInsightsQuery,
  response: { status: 200, schema: VendorInsightsResponse, description: 'Resources busiest first, lead-time buckets' },
  errors: ['FORBIDDEN'],
  safeToRetry: true,
});

export const analyticsEngagement = defineRoute({
  method: 'GET',
  path: '/analytics/engagement',
  summary: 'Daily, weekly and monthly active users by role, sessions per user, median time to confirm (admins)',
  tag: 'analytics',
  auth: 'required',
  query: EngagementQuery,
  response: { status: 200, schema: EngagementResponse, description: 'Daily series and distinct users' },
  errors: ['FORBIDDEN'],
  safeToRetry: true,
});

export const analyticsSocketHeatmap = defineRoute({
  method: 'GET',
  path: '/analytics/socket-heatmap',
  summary: 'Socket connects and open sockets by weekday and hour across the system (admins)',
  tag: 'analytics',
  auth: 'required',
  query: SocketHeatmapQuery,
  response: { status: 200, schema: SocketHeatmapResponse, description: 'All 168 cells' },
  errors: ['FORBIDDEN'],
  safeToRetry: true,
});
