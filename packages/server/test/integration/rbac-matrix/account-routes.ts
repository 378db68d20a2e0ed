import { login } from '../../support/world.js';
import { all, type MatrixCase, signedIn, unique } from './context.js';

/** Sign-up, sign-in, sessions and the caller's own account. */
export const ACCOUNT_ROUTES: Record<string, MatrixCase[]> = {
  'POST /api/v1/auth/register': [
    {
      request: async () => ({
        path: '/auth/register',
        body: { email: `new-${unique()}@test.test`, password: 'a-long-password', name: 'New' },
      }),
      expected: all(201),
    },
  ],
  'POST /api/v1/auth/register-vendor': [
    {
      request: async () => {
        const id = unique();
        return {
          path: '/auth/register-vendor',
          body: {
            email: `owner-${id}@test.test`,
            password: 'a-long-password',
            name: 'Owner',
            vendor: { name: 'New shop', slug: `shop-${id}` },
          },
        };
      },
      expected: all(201),
    },
  ],
  'POST /api/v1/auth/login': [
    {
      request: async () => ({
        path: '/auth/login',
        body: { email: 'alice@test.test', password: 'correct-horse-battery' },
      }),
      expected: all(200),
    },
  ],
  'POST /api/v1/auth/refresh': [
    {
      request: async ({ server }) => ({
        path: '/auth/refresh',
        body: { refreshToken: (await login(server, 'alice@test.test')).refreshToken },
      }),
      expected: all(200),
    },
  ],
  'POST /api/v1/auth/logout': [
    {
      // A session of its own: logging out the world's sessions would sign the other callers out.
      request: async ({ server }) => ({
        path: '/auth/logout',
        body: { refreshToken: (await login(server, 'alice@test.test')).refreshToken },
      }),
      expected: all(204),
    },
  ],
  'GET /api/v1/me': [{ request: async () => ({ path: '/me' }), expected: signedIn(200) }],
  'GET /api/v1/me/profile': [{ request: async () => ({ path: '/me/profile' }), expected: signedIn(200) }],
  'PATCH /api/v1/me/profile': [
    { request: async () => ({ path: '/me/profile', body: { shareEmail: false } }), expected: signedIn(200) },
  ],
  'GET /api/v1/me/account': [{ request: async () => ({ path: '/me/account' }), expected: signedIn(200) }],
  // World accounts are verified: nothing to send, and the same answer for everyone signed in.
  'POST /api/v1/auth/verify-email/resend': [
    { request: async () => ({ path: '/auth/verify-email/resend' }), expected: signedIn(202) },
  ],
  // Public; a token nobody was sent is refused the same for every caller.
  'POST /api/v1/auth/verify-email': [
    { request: async () => ({ path: '/auth/verify-email', body: { token: 'x'.repeat(43) } }), expected: all(400) },
  ],
  'POST /api/v1/auth/password-reset': [
    {
      request: async () => ({ path: '/auth/password-reset', body: { email: 'nobody@test.test' } }),
      expected: all(202),
    },
  ],
  'POST /api/v1/auth/password-reset/confirm': [
    {
      request: async () => ({
        path: '/auth/password-reset/confirm',
        body: { token: 'x'.repeat(43), password: 'a-long-password' },
      }),
      expected: all(400),
    },
  ],
};
