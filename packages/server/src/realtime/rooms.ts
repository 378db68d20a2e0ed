import type { FollowTarget, Role } from '@slotcast/protocol';
import { SlotcastError } from '@slotcast/protocol';
import type { ActorContext } from '../domain/booking-transitions.js';
import { maySee } from '../domain/booking-transitions.js';
import type { StoredEvent } from '../store/event-log.js';

export const ADMIN_ROOM = 'admin';
export const userRoom = (id: string) => `user:${id}`;
export const vendorRoom = (id: string) => `vendor:${id}`;
export const bookingRoom = (id: string) => `booking:${id}`;
export const resourceRoom = (id: string) => `resource:${id}`;
export const sessionRoom = (id: string) => `session:${id}`;

/** The rooms the server puts a socket in: it cannot ask for these, and cannot leave them. */
export function assignedRooms(actor: {
  userId: string;
  role: Role;
  vendorId: string | null;
  sessionId: string;
}): string[] {
  const rooms = [userRoom(actor.userId), sessionRoom(actor.sessionId)];
  if (actor.role === 'staff' && actor.vendorId) rooms.push(vendorRoom(actor.vendorId));
  if (actor.role === 'admin') rooms.push(ADMIN_ROOM);
  return rooms;
}

/**
 * Who receives an event: its customer, its vendor's staff, admins, and followers of the booking. These are exactly
 * the parties `maySee` admits, so the same rule scopes REST reads, replay and live delivery. A private event (a
 * user's notification) goes to that user alone.
 */
export function recipientRooms(e: StoredEvent): string[] {
  if (e.userId) return [userRoom(e.userId)];
  const rooms = [ADMIN_ROOM];
  if (e.customerId) rooms.push(userRoom(e.customerId));
  if (e.vendorId) rooms.push(vendorRoom(e.vendorId));
  if (e.bookingId) rooms.push(bookingRoom(e.bookingId));
  return rooms;
}

export interface FollowLookups {
  booking(id: string): Promise<{ vendorId: string; customerId: string } | null>;
  resource(id: string): Promise<{ vendorId: string } | null>;
}

/**
 * Checks a follow request against the REST rules: a booking only if the caller may see it; a resource's schedule
 * (which carries intervals only, no personal data) by anyone signed in, as its availability is public.
 */
export async function authorizeFollow(
  actor: ActorContext,
  target: FollowTarget,
  lookups: FollowLookups,
): Promise<string> {
  if (target.kind === 'booking') {
    const b = await lookups.booking(target.id);
    if (!b || !maySee(actor, b)) throw new SlotcastError('NOT_FOUND', 'No such booking');
    return bookingRoom(target.id);
  }
  const r = await lookups.resource(target.id);
  if (!r) throw new SlotcastError('NOT_FOUND', 'No such resource');
  return resourceRoom(target.id);
}
