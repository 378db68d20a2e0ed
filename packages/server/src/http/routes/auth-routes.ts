import {
  LoginRequest,
  LogoutRequest,
  RefreshRequest,
  RegisterRequest,
  SESSION_COOKIE,
  Session,
  SlotcastError,
  User,
} from '@slotcast/protocol';
import type { FastifyInstance } from 'fastify';
import type { LoginThrottle } from '../../limits/login-throttle.js';
import type { Db } from '../../store/db.js';
import { getUser } from '../../store/users-repo.js';
import type { AuthService } from '../../usecases/auth.js';
import type { OpenApiDocument } from '../openapi.js';
import { type Authenticate, defineRoute } from '../route.js';
import type { SessionCookies } from '../session-cookie.js';

export function authRoutes(
  app: FastifyInstance,
  deps: {
    doc: OpenApiDocument;
    authenticate: Authenticate;
    auth: AuthService;
    db: Db;
    loginThrottle: LoginThrottle;
    cookies: SessionCookies;
  },
) {
  const { auth } = deps;
  const throttle = deps.loginThrottle;
  const signIns = new Map<string, Promise<unknown>>();

  defineRoute(
    app,
    deps,
    {
      method: 'POST',
      url: '/auth/register',
      summary: 'Create a customer account and sign in',
      tag: 'auth',
      auth: 'public',
      body: RegisterRequest,
      response: { status: 201, schema: Session, description: 'Signed in' },
      errors: ['AUTH_EMAIL_TAKEN'],
    },
    async ({ body, request, reply }) => ({ body: deps.cookies.deliver(request, reply, await auth.register(body)) }),
  );

  defineRoute(
    app,
    deps,
    {
      method: 'POST',
      url: '/auth/login',
      summary: 'Sign in with email and password',
      tag: 'auth',
      auth: 'public',
      body: LoginRequest,
      response: { status: 200, schema: Session, description: 'Signed in' },
      errors: ['AUTH_INVALID_CREDENTIALS', 'RATE_LIMITED'],
    },
    // One sign-in per account at a time: checked concurrently, a burst of guesses would all pass the check before
    // the first failure is counted. (The per-address count stays approximate for bursts across many accounts.)
    async ({ body, request, reply }) =>
      oneAtATime(signIns, body.email, async () => {
        await throttle.check(body.email, request.ip);
        try {
          const pair = await auth.login(body);
          await throttle.succeeded(body.email, request.ip);
          return { body: deps.cookies.deliver(request, reply, pair) };
        } catch (err) {
          if (err instanceof SlotcastError && err.code === 'AUTH_INVALID_CREDENTIALS') {
            await throttle.failed(body.email, request.ip);
          }
          throw err;
        }
      }),
  );

  defineRoute(
    app,
    deps,
    {
      method: 'POST',
      url: '/auth/refresh',
      summary: 'Exchange a refresh token for a new pair (the old refresh token stops working)',
      tag: 'auth',
      auth: 'public',
      body: RefreshRequest,
      response: { status: 200, schema: Session, description: 'New tokens' },
      errors: ['AUTH_REFRESH_INVALID', 'AUTH_REFRESH_REUSED', 'AUTH_CSRF_REJECTED'],
    },
    async ({ body, request, reply }) => {
      const token = deps.cookies.refreshToken(request, body.refreshToken);
      return { body: deps.cookies.deliver(request, reply, await auth.refresh(token)) };
    },
  );

  defineRoute(
    app,
    deps,
    {
      method: 'POST',
      url: '/auth/logout',
      summary: 'Revoke the session of a refresh token',
      tag: 'auth',
      auth: 'public',
      body: LogoutRequest,
      response: { status: 204, schema: null, description: 'Signed out' },
      errors: ['AUTH_CSRF_REJECTED'],
    },
    async ({ body, request, reply }) => {
      // Signing out with no token left (an expired cookie) is still a sign-out.
      const token =
        body.refreshToken ??
        (request.cookies[SESSION_COOKIE.name] ? deps.cookies.refreshToken(request, undefined) : null);
      if (token) await auth.logout(token);
      deps.cookies.clear(reply);
      return { statusCode: 204 };
    },
  );

  defineRoute(
    app,
    deps,
    {
      method: 'GET',
      url: '/me',
      summary: 'The signed-in user',
      tag: 'auth',
      auth: 'required',
      response: { status: 200, schema: User, description: 'The user' },
      errors: [],
    },
    async ({ caller }) => {
      const user = await getUser(deps.db, caller!.userId);
      if (!user) throw new SlotcastError('AUTH_TOKEN_INVALID');
      return { body: user };
    },
  );
}

/** Runs `fn` after every earlier call with the same key has settled; the map holds only keys with calls pending. */
function oneAtATime<T>(queues: Map<string, Promise<unknown>>, key: string, fn: () => Promise<T>): Promise<T> {
  const run = (queues.get(key) ?? Promise.resolve()).then(fn);
  const tail = run.catch(() => {});
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}
