import { ROUTES } from '@slotcast/protocol';
import type { FastifyInstance } from 'fastify';
import type { AccountService } from '../../usecases/accounts.js';
import type { BookingService } from '../../usecases/bookings.js';
import { type RouteDeps, routeHandlers } from '../route.js';

export function bookingRoutes(
  app: FastifyInstance,
  deps: RouteDeps & { bookings: BookingService; accounts: AccountService },
) {
  const { bookings } = deps;
  const handle = routeHandlers(app, deps);

  handle(ROUTES.createBooking, async ({ caller, body, idempotency }) => {
    await deps.accounts.requireVerified(caller);
    return bookings.create(caller, body, idempotency);
  });
  handle(ROUTES.listBookings, async ({ caller, query }) => ({ body: await bookings.list(caller, query) }));
  handle(ROUTES.getBooking, async ({ caller, params }) => ({ body: await bookings.get(caller, params.id) }));
  handle(ROUTES.rescheduleBooking, async ({ caller, params, body, idempotency }) =>
    bookings.reschedule(caller, params.id, body, idempotency),
  );
  handle(ROUTES.transitionBooking, async ({ caller, params, body, idempotency }) =>
    bookings.transition(caller, params.id, params.action, body, idempotency),
  );
}
