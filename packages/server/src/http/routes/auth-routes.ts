import { ROUTES, SESSION_COOKIE, SlotcastError } from '@slotcast/protocol';
import type { FastifyInstance } from 'fastify';
import type { LoginThrottle } from '../../limits/login-throttle.js';
import type { AuthService } from '../../usecases/auth.js';
import { type RouteDeps, routeHandlers } from '../route.js';
import type { SessionCookies } from '../session-cookie.js';

export function authRoutes(
  app: FastifyInstance,
  deps: RouteDeps & { auth: AuthService; loginThrottle: LoginThrottle; cookies: SessionCookies },
) {
  const { auth, cookies } = deps;
  const throttle = deps.loginThrottle;
  const handle = routeHandlers(app, deps);
  const signIns = new Map<string, Promise<unknown>>();

  handle(ROUTES.register, async ({ body, request, reply }) => ({
    body: cookies.deliver(request, reply, await auth.register(body)),
  }));

  // One sign-in per account at a time: checked concurrently, a burst of guesses would all pass the check before
  // the first failure is counted. (The per-address count stays approximate for bursts across many accounts.)
  handle(ROUTES.login, async ({ body, request, reply }) =>
    oneAtATime(signIns, body.email, async () => {
      await throttle.check(body.email, request.ip);
      try {
        const pair = await auth.login(body);
        await throttle.succeeded(body.email, request.ip);
        return { body: cookies.deliver(request, reply, pair) };
      } catch (err) {
        if (err instanceof SlotcastError && err.code === 'AUTH_INVALID_CREDENTIALS') {
          await throttle.failed(body.email, request.ip);
        }
        throw err;
      }
    }),
  );

  handle(ROUTES.refresh, async ({ body, request, reply }) => {
    const token = cookies.refreshToken(request, body.refreshToken);
    return { body: cookies.deliver(request, reply, await auth.refresh(token)) };
  });

  handle(ROUTES.logout, async ({ body, request, reply }) => {
    // Signing out with no token left (an expired cookie) is still a sign-out.
    const token =
      body.refreshToken ?? (request.cookies[SESSION_COOKIE.name] ? cookies.refreshToken(request, undefined) : null);
    if (token) await auth.logout(token);
    cookies.clear(reply);
    return {};
  });

  handle(ROUTES.me, async ({ caller }) => ({ body: await auth.me(caller) }));
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
