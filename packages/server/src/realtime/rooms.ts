import { isInternalEvent, type Role } from '@slotcast/protocol';
import type { StoredEvent } from '../bus/event-bus.js';

export const ADMIN_ROOM = 'admin';
export const userRoom = (id: string) => `user:${id}`;
export const vendorRoom = (id: string) => `vendor:${id}`;
export const bookingRoom = (id: string) => `booking:${id}`;
export const resourceRoom = (id: string) => `resource:${id}`;

/**
 * The rooms the server puts a socket in: it cannot ask for these, and cannot leave them. There is no room per session
 * (sign-out finds a session's sockets by their data, gateway.ts): a room costs every socket a Set of its own.
 */
export function assignedRooms(actor: { userId: string; role: Role; vendorId: string | null }): string[] {
  const rooms = [userRoom(actor.userId)];
  if (actor.role === 'staff' && actor.vendorId) rooms.push(vendorRoom(actor.vendorId));
  if (actor.role === 'admin') rooms.push(ADMIN_ROOM);
  return rooms;
}

/**
 * Who receives an event: its customer, its vendor's staff, admins, and followers of the booking. These are exactly
 * the parties `maySee` (domain/booking-transitions.ts) admits, so the same rule scopes REST reads, replay and live delivery. A private event (a
 * user's notification) goes to that user alone.
 */
export function recipientRooms(e: StoredEvent): string[] {
  // Account events carry a link token: for the mailer alone, never on a socket.
  if (isInternalEvent(e.envelope.type)) return [];
  if (e.userId) return [userRoom(e.userId)];
  const rooms = [ADMIN_ROOM];
  if (e.customerId) rooms.push(userRoom(e.customerId));
  if (e.vendorId) rooms.push(vendorRoom(e.vendorId));
  if (e.bookingId) rooms.push(bookingRoom(e.bookingId));
  return rooms;
}
