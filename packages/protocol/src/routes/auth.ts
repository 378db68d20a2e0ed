import { LoginRequest, LogoutRequest, RefreshRequest, RegisterRequest, Session } from '../api.js';
import { User } from '../entities.js';
import { defineRoute } from './define-route.js';

const tag = 'auth';

export const register = defineRoute({
  method: 'POST',
  path: '/auth/register',
  summary: 'Create a customer account and sign in',
  tag,
  auth: 'public',
  body: RegisterRequest,
  response: { status: 201, schema: Session, description: 'Signed in' },
  errors: ['AUTH_EMAIL_TAKEN'],
});

export const login = defineRoute({
  method: 'POST',
  path: '/auth/login',
  summary: 'Sign in with email and password',
  tag,
  auth: 'public',
  body: LoginRequest,
  response: { status: 200, schema: Session, description: 'Signed in' },
  errors: ['AUTH_INVALID_CREDENTIALS', 'RATE_LIMITED'],
});

export const refresh = defineRoute({
  method: 'POST',
  path: '/auth/refresh',
  summary: 'Exchange a refresh token for a new pair (the old refresh token stops working)',
  tag,
  auth: 'public',
  body: RefreshRequest,
  response: { status: 200, schema: Session, description: 'New tokens' },
  errors: ['AUTH_REFRESH_INVALID', 'AUTH_REFRESH_REUSED', 'AUTH_CSRF_REJECTED'],
});

export const logout = defineRoute({
  method: 'POST',
  path: '/auth/logout',
  summary: 'Revoke the session of a refresh token (body, or the session cookie) and clear the cookie',
  tag,
  auth: 'public',
  body: LogoutRequest,
  response: { status: 204, schema: null, description: 'Signed out' },
  errors: ['AUTH_CSRF_REJECTED'],
});

export const me = defineRoute({
  method: 'GET',
  path: '/me',
  summary: 'The signed-in user',
  tag,
  auth: 'required',
  response: { status: 200, schema: User, description: 'The user' },
  errors: [],
});
