import type { Resource, Service, Slot } from '@slotcast/protocol';
import { SlotcastError } from '@slotcast/protocol';
import { blockOf, checkBookable, freeSlots, localDateOf } from '../domain/availability.js';
import { busyIntervals } from '../store/bookings-repo.js';
import type { CatalogCache } from '../store/catalog-cache.js';
import type { Queryable } from '../store/db.js';

// What a resource offers a service: the offer's checks, its free start times and the 409 for a time already held.
// Shared by the booking use cases (bookings.ts) for reads and for the answers of writes.

const DAY = 86_400_000;

export const timingOf = (s: Service) => ({
  durationMinutes: s.durationMinutes,
  bufferBeforeMinutes: s.bufferBeforeMinutes,
  bufferAfterMinutes: s.bufferAfterMinutes,
});

/** The resource and service of an offer, or the named error: missing, another vendor's, or not offered there. */
export async function loadOffer(
  catalog: CatalogCache,
  db: Queryable,
  resourceId: string,
  serviceId: string,
  vendorId?: string,
): Promise<{ resource: Resource; service: Service }> {
  const [resource, service] = await Promise.all([catalog.resource(db, resourceId), catalog.service(db, serviceId)]);
  if (!resource) throw new SlotcastError('NOT_FOUND', 'No such resource');
  if (!service) throw new SlotcastError('NOT_FOUND', 'No such service');
  // Before the offer: a service is never offered on another vendor's resource, so that check would hide this one.
  if (vendorId !== undefined && resource.vendorId !== vendorId) {
    throw new SlotcastError('FORBIDDEN', 'A booking moves only between resources of its vendor');
  }
  if (!service.resourceIds.includes(resource.id)) {
    throw new SlotcastError('SERVICE_NOT_OFFERED', `${service.name} is not offered on ${resource.name}`);
  }
  return { resource, service };
}

export function assertBookable(resource: Resource, service: Service, start: Date, now: Date) {
  const problem = checkBookable(resource, timingOf(service), start, now);
  if (problem) throw new SlotcastError(problem, undefined, { field: 'startAt' });
}

/**
 * Free start times of a service on a resource over local dates `from`..`to` (at most 31 days), none before `now`.
 * `exceptBookingId` counts as not there (a booking being moved).
 */
export async function freeStarts(
  db: Queryable,
  catalog: CatalogCache,
  now: Date,
  q: { resourceId: string; serviceId: string; from: string; to: string },
  exceptBookingId: string | null,
): Promise<Slot[]> {
  const { resource, service } = await loadOffer(catalog, db, q.resourceId, q.serviceId);
  const { from, to } = q;
  const days = (Date.parse(to) - Date.parse(from)) / DAY;
  if (!(days >= 0 && days <= 31)) {
    throw new SlotcastError('VALIDATION_FAILED', 'from..to must span 0 to 31 days', {
      errors: [{ path: 'query.to', message: 'must be on or after from and at most 31 days later' }],
    });
  }
  // Widen by a day each side: local dates in far zones reach into neighbouring UTC days.
  const busy = await busyIntervals(
    db,
    resource.id,
    new Date(Date.parse(from) - DAY),
    new Date(Date.parse(to) + 2 * DAY),
    exceptBookingId,
  );
  return freeSlots({ schedule: resource, timing: timingOf(service), from, to, busy, notBefore: now });
}

/** The 409 for an overlap: which interval is held and the next free slots after the one asked for. */
export async function slotTakenError(
  db: Queryable,
  catalog: CatalogCache,
  now: Date,
  asked: { resourceId: string; serviceId: string; start: Date },
  exceptBookingId: string | null,
): Promise<SlotcastError> {
  const { resourceId, start } = asked;
  const { resource, service } = await loadOffer(catalog, db, resourceId, asked.serviceId);
  const timing = timingOf(service);
  const block = blockOf(timing, start);
  const [conflict] = await busyIntervals(db, resourceId, block.start, block.end, exceptBookingId);
  const from = localDateOf(resource.timezone, start);
  const to = localDateOf(resource.timezone, new Date(start.getTime() + 7 * DAY));
  const busy = await busyIntervals(
    db,
    resourceId,
    new Date(start.getTime() - DAY),
    new Date(start.getTime() + 9 * DAY),
  );
  const next = freeSlots({
    schedule: resource,
    timing,
    from,
    to,
    busy,
    notBefore: new Date(Math.max(start.getTime(), now.getTime())),
  }).slice(0, 3);
  return new SlotcastError('BOOKING_SLOT_TAKEN', 'The slot overlaps another booking on this resource', {
    conflict: conflict ? { startAt: conflict.start.toISOString(), endAt: conflict.end.toISOString() } : null,
    nextFreeSlots: next,
  });
}
