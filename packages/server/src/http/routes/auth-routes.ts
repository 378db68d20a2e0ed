import { DETAILS, ROUTES, SlotcastError } from '@slotcast/protocol';
import type { FastifyInstance } from 'fastify';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { AuthService } from '../../usecases/auth.js';
import { type RouteDeps, routeHandlers } from '../route.js';

export interface LoginLimits {
  failuresPerAccount: number;
  failuresPerIp: number;
  windowSeconds: number;
}

export function authRoutes(app: FastifyInstance, deps: RouteDeps & { auth: AuthService; loginLimits: LoginLimits }) {
  const { auth } = deps;
  const handle = routeHandlers(app, deps);
  // Failed logins count against the account and the address; either limit blocks further tries for the window.
  const byAccount = new RateLimiterMemory({
    points: deps.loginLimits.failuresPerAccount,
    duration: deps.loginLimits.windowSeconds,
  });
  const byIp = new RateLimiterMemory({
    points: deps.loginLimits.failuresPerIp,
    duration: deps.loginLimits.windowSeconds,
  });
  const signIns = new Map<string, Promise<unknown>>();

  handle(ROUTES.register, async ({ body }) => ({ body: await auth.register(body) }));

  // One sign-in per account at a time: checked concurrently, a burst of guesses would all pass the check before
  // the first failure is counted. (The per-address count stays approximate for bursts across many accounts.)
  handle(ROUTES.login, async ({ body, request }) =>
    oneAtATime(signIns, body.email, async () => {
      const keys = [
        [byAccount, body.email],
        [byIp, request.ip],
      ] as const;
      for (const [limiter, key] of keys) {
        const state = await limiter.get(key);
        if (state && state.consumedPoints >= limiter.points) {
          throw new SlotcastError('RATE_LIMITED', DETAILS.tooManySignIns(), { retryAfterMs: state.msBeforeNext });
        }
      }
      try {
        const pair = await auth.login(body);
        await byAccount.delete(body.email);
        return { body: pair };
      } catch (err) {
        if (err instanceof SlotcastError && err.code === 'AUTH_INVALID_CREDENTIALS') {
          await Promise.all(keys.map(([limiter, key]) => limiter.penalty(key, 1)));
        }
        throw err;
      }
    }),
  );

  handle(ROUTES.refresh, async ({ body }) => ({ body: await auth.refresh(body.refreshToken) }));

  handle(ROUTES.logout, async ({ body }) => {
    await auth.logout(body.refreshToken);
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
