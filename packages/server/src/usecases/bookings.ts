import type {
  Booking,
  BookingAction,
  BookingEventData,
  BookingEventType,
  CreateBookingRequest,
  ListBookingsQuery,
  Slot,
} from '@slotcast/protocol';
import { SlotcastError } from '@slotcast/protocol';
import { blockOf } from '../domain/availability.js';
import type { ActorContext, TransitionName } from '../domain/booking-transitions.js';
import { decideTransition, initialStatus, maySee } from '../domain/booking-transitions.js';
import {
  dueForExpiry,
  getBooking,
  insertBooking,
  listBookings,
  lockResource,
  updateBooking,
} from '../store/bookings-repo.js';
import type { CatalogCache } from '../store/catalog-cache.js';
import { type Db, PG, pgErrorCode, type Queryable } from '../store/db.js';
import { getUser } from '../store/users-repo.js';
import type { Caller } from './actor.js';
import { SYSTEM } from './actor.js';
import { assertBookable, freeStarts, loadOffer, slotTakenError, timingOf } from './booking-offer.js';
import { type Idempotency, type MutationResult, runMutation } from './mutation.js';

function bookingEvent(
  type: BookingEventType,
  booking: Booking,
  previousStatus: Booking['status'] | null,
  actor: ActorContext,
  reason: string | null,
  previous?: BookingEventData['previous'],
) {
  const data: BookingEventData = {
    booking,
    previousStatus,
    actor: { userId: actor.userId, role: actor.role },
    reason,
    ...(previous ? { previous } : {}),
  };
  return {
    type,
    bookingId: booking.id,
    vendorId: booking.vendorId,
    customerId: booking.customerId,
    resourceId: booking.resourceId,
    data,
  };
}

export interface BookingServiceDeps {
  db: Db;
  /** Vendors, resources and services as this node last saw them (invalidated on every change). */
  catalog: CatalogCache;
  now?: () => Date;
  /** Called after every commit that appended events (wakes the relay). */
  onEvents?: () => void;
}

export class BookingService {
  private readonly db: Db;
  private readonly catalog: CatalogCache;
  private readonly now: () => Date;
  private readonly onEvents: () => void;

  constructor(deps: BookingServiceDeps) {
    this.db = deps.db;
    this.catalog = deps.catalog;
    this.now = deps.now ?? (() => new Date());
    this.onEvents = deps.onEvents ?? (() => {});
  }

  /**
   * Free start times. With `moving`, a booking the caller may see (else NOT_FOUND, revealing nothing) counts as not
   * there: the times it could move to, including onto part of its own interval.
   */
  async availability(
    resourceId: string,
    serviceId: string,
    from: string,
    to: string,
    opts: { caller?: Caller | null; moving?: string | undefined } = {},
  ): Promise<Slot[]> {
    if (opts.moving !== undefined) {
      const moving = await getBooking(this.db, opts.moving);
      if (!moving || !opts.caller || !maySee(opts.caller, moving))
        throw new SlotcastError('NOT_FOUND', 'No such booking');
    }
    return freeStarts(this.db, this.catalog, this.now(), { resourceId, serviceId, from, to }, opts.moving ?? null);
  }

  async create(caller: Caller, req: CreateBookingRequest, idem: Idempotency | null): Promise<MutationResult<Booking>> {
    const start = new Date(req.startAt);
    try {
      return await runMutation(
        this.db,
        idem,
        async (tx) => {
          const { resource, service } = await loadOffer(this.catalog, tx, req.resourceId, req.serviceId);
          const customerId = await this.customerFor(tx, caller, req.customerId, resource.vendorId);
          const now = this.now();
          assertBookable(resource, service, start, now);
          const vendor = (await this.catalog.vendor(tx, resource.vendorId))!;
          const initial = initialStatus(vendor.autoConfirm);
          const block = blockOf(timingOf(service), start);
          const booking = await insertBooking(tx, {
            vendorId: resource.vendorId,
            resourceId: resource.id,
            serviceId: service.id,
            customerId,
            status: initial.status,
            startAt: start,
            endAt: new Date(start.getTime() + service.durationMinutes * 60_000),
            blockStart: block.start,
            blockEnd: block.end,
            note: req.note ?? null,
            priceMinor: service.priceMinor,
            currency: service.currency,
            actorUserId: caller.userId,
            actorRole: caller.role,
            expiresAt:
              initial.status === 'requested' ? new Date(now.getTime() + vendor.requestTtlMinutes * 60_000) : null,
          });
          return { statusCode: 201, body: booking, events: [bookingEvent(initial.event, booking, null, caller, null)] };
        },
        this.onEvents,
      );
    } catch (err) {
      if (pgErrorCode(err) === PG.EXCLUSION_VIOLATION)
        throw await this.slotTaken(req.resourceId, req.serviceId, start, null);
      throw err;
    }
  }

  /** Staff and admins book for a customer; a customer books for themself only. */
  private async customerFor(tx: Queryable, caller: Caller, requested: string | undefined, vendorId: string) {
    if (caller.role === 'customer') {
      if (requested && requested !== caller.userId) {
        throw new SlotcastError('FORBIDDEN', 'A customer books for themself only');
      }
      return caller.userId;
    }
    if (caller.role === 'staff' && caller.vendorId !== vendorId) {
      throw new SlotcastError('FORBIDDEN', 'Staff book on their own vendor only');
    }
    if (!requested) {
      throw new SlotcastError('VALIDATION_FAILED', 'customerId is required when staff book', {
        errors: [{ path: 'body.customerId', message: 'required when staff or an admin book' }],
      });
    }
    const customer = await getUser(tx, requested);
    if (customer?.role !== 'customer') {
      throw new SlotcastError('VALIDATION_FAILED', 'customerId is not a customer', {
        errors: [{ path: 'body.customerId', message: 'no such customer' }],
      });
    }
    return customer.id;
  }

  /** The 409 for an overlap (booking-offer.ts). */
  private slotTaken(resourceId: string, serviceId: string, start: Date, exceptBookingId: string | null) {
    return slotTakenError(this.db, this.catalog, this.now(), { resourceId, serviceId, start }, exceptBookingId);
  }

  async get(caller: Caller, id: string): Promise<Booking> {
    const booking = await getBooking(this.db, id);
    if (!booking || !maySee(caller, booking)) throw new SlotcastError('NOT_FOUND', 'No such booking');
    return booking;
  }

  async list(caller: Caller, q: ListBookingsQuery): Promise<{ items: Booking[]; nextCursor: string | null }> {
    const statuses = q.status === undefined ? undefined : Array.isArray(q.status) ? q.status : [q.status];
    const items = await listBookings(this.db, {
      vendorId: caller.role === 'staff' ? (caller.vendorId ?? undefined) : undefined,
      customerId: caller.role === 'customer' ? caller.userId : undefined,
      statuses,
      resourceId: q.resourceId,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      after: q.cursor ? decodeCursor(q.cursor) : undefined,
      limit: q.limit + 1,
    });
    const more = items.length > q.limit;
    const page = more ? items.slice(0, q.limit) : items;
    const last = page.at(-1);
    return { items: page, nextCursor: more && last ? encodeCursor(last) : null };
  }

  async transition(
    caller: ActorContext,
    id: string,
    action: BookingAction | 'expire',
    req: { version: number; reason?: string },
    idem: Idempotency | null,
  ): Promise<MutationResult<Booking>> {
    return runMutation(
      this.db,
      idem,
      async (tx) => {
        const current = await this.lockVisible(tx, caller, id, req.version);
        const vendor = (await this.catalog.vendor(tx, current.vendorId))!;
        const decision = decideTransition(action, caller, facts(current), vendor, this.now());
        const updated = await updateBooking(tx, id, req.version, {
          status: decision.status,
          reason: req.reason ?? null,
          actorUserId: caller.userId,
          actorRole: caller.role,
        });
        return {
          statusCode: 200,
          body: updated!,
          events: [bookingEvent(decision.event, updated!, current.status, caller, req.reason ?? null)],
        };
      },
      this.onEvents,
    );
  }

  async reschedule(
    caller: Caller,
    id: string,
    req: { version: number; startAt: string; resourceId?: string; reason?: string },
    idem: Idempotency | null,
  ): Promise<MutationResult<Booking>> {
    const start = new Date(req.startAt);
    let target: { resourceId: string; serviceId: string } | null = null;
    try {
      return await runMutation(
        this.db,
        idem,
        async (tx) => {
          const current = await this.lockVisible(tx, caller, id, req.version);
          const vendor = (await this.catalog.vendor(tx, current.vendorId))!;
          const decision = decideTransition('reschedule', caller, facts(current), vendor, this.now());
          target = { resourceId: req.resourceId ?? current.resourceId, serviceId: current.serviceId };
          const { resource, service } = await loadOffer(
            this.catalog,
            tx,
            target.resourceId,
            target.serviceId,
            current.vendorId,
          );
          assertBookable(resource, service, start, this.now());
          const block = blockOf(timingOf(service), start);
          // Serialise with every other writer on the target resource, as create does (no deadlock, a clean 409).
          await lockResource(tx, resource.id);
          // One UPDATE moves the booking: the old interval is released and the new one taken atomically.
          const updated = await updateBooking(tx, id, req.version, {
            status: decision.status,
            reason: req.reason ?? null,
            actorUserId: caller.userId,
            actorRole: caller.role,
            time: {
              resourceId: resource.id,
              startAt: start,
              endAt: new Date(start.getTime() + service.durationMinutes * 60_000),
              blockStart: block.start,
              blockEnd: block.end,
            },
          });
          return {
            statusCode: 200,
            body: updated!,
            events: [
              bookingEvent(decision.event, updated!, current.status, caller, req.reason ?? null, {
                startAt: current.startAt,
                endAt: current.endAt,
                resourceId: current.resourceId,
              }),
            ],
          };
        },
        this.onEvents,
      );
    } catch (err) {
      const t = target as { resourceId: string; serviceId: string } | null;
      if (pgErrorCode(err) === PG.EXCLUSION_VIOLATION && t)
        throw await this.slotTaken(t.resourceId, t.serviceId, start, id);
      throw err;
    }
  }

  /** Locks the row; hides bookings the caller may not see; refuses a stale version with the current state. */
  private async lockVisible(tx: Queryable, caller: ActorContext, id: string, version: number): Promise<Booking> {
    const current = await getBooking(tx, id, true);
    if (!current || !maySee(caller, current)) throw new SlotcastError('NOT_FOUND', 'No such booking');
    if (current.version !== version) {
      throw new SlotcastError(
        'BOOKING_VERSION_CONFLICT',
        `Expected version ${version}, the booking is at version ${current.version}`,
        { current },
      );
    }
    return current;
  }

  /** Expires requests nobody confirmed in time. Returns how many expired. */
  async expireDue(limit = 100): Promise<number> {
    const due = await dueForExpiry(this.db, this.now(), limit);
    let n = 0;
    for (const b of due) {
      try {
        await this.transition(SYSTEM, b.id, 'expire', { version: b.version, reason: 'not confirmed in time' }, null);
        n++;
      } catch (err) {
        // Confirmed or changed meanwhile: nothing to expire.
        if (!(err instanceof SlotcastError)) throw err;
      }
    }
    return n;
  }
}

const facts = (b: Booking) => ({
  status: b.status,
  vendorId: b.vendorId,
  customerId: b.customerId,
  startAt: new Date(b.startAt),
});

function encodeCursor(b: Booking): string {
  return Buffer.from(JSON.stringify([b.startAt, b.id])).toString('base64url');
}
function decodeCursor(cursor: string): { startAt: Date; id: string } {
  try {
    const [s, i] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const startAt = new Date(s);
    if (Number.isNaN(startAt.getTime()) || !/^[0-9a-f-]{36}$/.test(i)) throw new Error('bad');
    return { startAt, id: i };
  } catch {
    throw new SlotcastError('VALIDATION_FAILED', 'cursor is not valid', {
      errors: [{ path: 'query.cursor', message: 'not a cursor from this API' }],
    });
  }
}

export type { TransitionName };
