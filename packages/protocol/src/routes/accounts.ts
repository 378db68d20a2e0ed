import { VendorSignUpRequest } from '../accounts.js';
import { Session } from '../api.js';
import { defineRoute } from './define-route.js';

const tag = 'auth';

export const registerVendor = defineRoute({
  method: 'POST',
  path: '/auth/register-vendor',
  summary: 'Create a vendor and its owner account together, and sign the owner in',
  tag,
  auth: 'public',
  body: VendorSignUpRequest,
  response: { status: 201, schema: Session, description: 'The owner, signed in' },
  errors: ['AUTH_EMAIL_TAKEN'],
});
