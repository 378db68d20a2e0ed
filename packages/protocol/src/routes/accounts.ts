import {
  AccountStatus,
  NewPasswordRequest,
  PasswordResetRequest,
  VendorSignUpRequest,
  VerifyEmailRequest,
} from '../accounts.js';
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

export const verifyEmail = defineRoute({
  method: 'POST',
  path: '/auth/verify-email',
  summary: 'Confirm an email address with the token of the emailed link',
  tag,
  auth: 'public',
  body: VerifyEmailRequest,
  response: { status: 200, schema: AccountStatus, description: 'Verified' },
  errors: ['AUTH_LINK_INVALID'],
});

export const resendVerification = defineRoute({
  method: 'POST',
  path: '/auth/verify-email/resend',
  summary: 'Email the signed-in user a new verification link',
  tag,
  auth: 'required',
  response: { status: 202, schema: null, description: 'A mail is on its way (none when already verified)' },
  errors: [],
});

export const accountStatus = defineRoute({
  method: 'GET',
  path: '/me/account',
  summary: "The signed-in user's account state (whether the email is verified)",
  tag,
  auth: 'required',
  response: { status: 200, schema: AccountStatus, description: 'The state' },
  errors: [],
});

export const requestPasswordReset = defineRoute({
  method: 'POST',
  path: '/auth/password-reset',
  summary: 'Email a password-reset link; the same answer whether or not the account exists',
  tag,
  auth: 'public',
  body: PasswordResetRequest,
  response: { status: 202, schema: null, description: 'If the account exists, a mail is on its way' },
  errors: [],
});

export const resetPassword = defineRoute({
  method: 'POST',
  path: '/auth/password-reset/confirm',
  summary: 'Set a new password with the token of the emailed link; every session of the account is revoked',
  tag,
  auth: 'public',
  body: NewPasswordRequest,
  response: { status: 204, schema: null, description: 'Password changed; sign in again' },
  errors: ['AUTH_LINK_INVALID'],
});
