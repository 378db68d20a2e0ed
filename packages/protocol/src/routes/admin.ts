import { PresenceResponse } from '../api.js';
import { defineRoute } from './define-route.js';

export const presence = defineRoute({
  method: 'GET',
  path: '/admin/presence',
  summary: 'Open sockets across the cluster, by role and by node (admin)',
  tag: 'admin',
  auth: 'required',
  response: { status: 200, schema: PresenceResponse, description: 'Socket counts' },
  errors: ['FORBIDDEN'],
});
