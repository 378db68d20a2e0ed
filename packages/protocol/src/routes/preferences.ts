import { IdParams } from '../api.js';
import {
  FrequencyReport,
  FrequencyReportQuery,
  NotificationPreferences,
  UpdateNotificationPreferences,
  UpdateVendorNotificationDefaults,
  VendorNotificationDefaults,
} from '../preferences.js';
import { defineRoute } from './define-route.js';

const tag = 'notifications';

export const getNotificationPreferences = defineRoute({
  method: 'GET',
  path: '/me/notification-preferences',
  summary: 'Your notification channels per category (with the defaults that apply) and quiet hours',
  tag,
  auth: 'required',
  response: { status: 200, schema: NotificationPreferences, description: 'Your preferences' },
  errors: [],
});

export const updateNotificationPreferences = defineRoute({
  method: 'PATCH',
  path: '/me/notification-preferences',
  summary: 'Set or clear your own choice for some category × channel cells, and replace your quiet hours',
  tag,
  auth: 'required',
  body: UpdateNotificationPreferences,
  safeToRetry: true,
  response: { status: 200, schema: NotificationPreferences, description: 'Your preferences after the change' },
  errors: [],
});

export const getVendorNotificationDefaults = defineRoute({
  method: 'GET',
  path: '/vendors/:id/notification-defaults',
  summary: 'The notification defaults a vendor sets for its staff (owner, admin)',
  tag,
  auth: 'required',
  params: IdParams,
  response: { status: 200, schema: VendorNotificationDefaults, description: 'The defaults' },
  errors: ['FORBIDDEN', 'NOT_FOUND'],
});

export const updateVendorNotificationDefaults = defineRoute({
  method: 'PATCH',
  path: '/vendors/:id/notification-defaults',
  summary:
    'Set or clear some of a vendor’s defaults for its staff; a staff member’s own choice still wins (owner, admin)',
  tag,
  auth: 'required',
  params: IdParams,
  body: UpdateVendorNotificationDefaults,
  safeToRetry: true,
  response: { status: 200, schema: VendorNotificationDefaults, description: 'The defaults after the change' },
  errors: ['FORBIDDEN', 'NOT_FOUND'],
});

export const notificationFrequency = defineRoute({
  method: 'GET',
  path: '/admin/notification-frequency',
  summary: 'Per category: notifications sent, opened, median time to open, turned off (admin)',
  tag: 'admin',
  auth: 'required',
  query: FrequencyReportQuery,
  response: { status: 200, schema: FrequencyReport, description: 'The report' },
  errors: ['FORBIDDEN'],
});
