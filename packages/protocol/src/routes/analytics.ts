import { HeatmapQuery, HeatmapResponse, TrendsQuery, TrendsResponse } from '../analytics.js';
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
