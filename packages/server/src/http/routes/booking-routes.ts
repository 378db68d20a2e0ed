import { ROUTES } from '@slotcast/protocol';
import type { FastifyInstance } from 'fastify';
import type { AccountService } from '../../usecases/accounts.js';
import type { BookingService } from '../../usecases/bookings.js';
import type { PeopleService } from '../../usecases/people.js';
import { type RouteDeps, routeHandlers } from '../route.js';

export function bookingRoutes(
  app: FastifyInstance,
  deps: RouteDeps & { bookings: BookingService; people: PeopleService; accounts: AccountService },
) {
  const { bookings, people } = deps;
  const handle = routeHandlers(app, deps);

  handle(ROUTES.createBooking, async ({ caller, body, idempotency }) => {
    await deps.accounts.requireVerified(caller);
    return bookings.create(caller, body, idempotency);
  });
  // Reads add who booked for the vendor's staff and admins (see PeopleService); writes answer the booking alone.
  handle(ROUTES.listBookings, async ({ caller, query }) => {
    const page = await bookings.list(caller, query);
    return { body: { ...page, items: await people.withCustomers(caller, page.items) } };
  });
  handle(ROUTES.getBooking, async ({ caller, params }) => ({
    body: await people.withCustomer(caller, await bookings.get(caller, params.id)),
  }));
  handle(ROUTES.bookingTimeline, async ({ caller, params }) => ({ body: await people.timeline(caller, params.id) }));
  handle(ROUTES.rescheduleBooking, async ({ caller, params, body, idempotency }) =>
    bookings.reschedule(caller, params.id, body, idempotency),
  );
  handle(ROUTES.transitionBooking, async ({ caller, params, body, idempotency }) =>
    bookings.transition(caller, params.id, params.action, body, idempotency),
  );
}
