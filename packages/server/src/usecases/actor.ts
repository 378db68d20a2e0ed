import type { Role } from '@slotcast/protocol';
import { SlotcastError } from '@slotcast/protocol';
import type { ActorContext } from '../domain/booking-transitions.js';

/** The authenticated caller of a use case. */
export interface Caller extends ActorContext {
  role: Role;
  userId: string;
  isOwner: boolean;
  sessionId: string;
}

export const SYSTEM: ActorContext = { role: 'system', userId: null, vendorId: null };

export function requireRole(caller: Caller | null, ...roles: Role[]): Caller {
  if (!caller) throw new SlotcastError('AUTH_REQUIRED');
  if (!roles.includes(caller.role)) throw new SlotcastError('FORBIDDEN');
  return caller;
}

/** Admins, or the owner among a vendor's staff, manage that vendor's catalogue and staff. */
export function requireVendorManager(caller: Caller | null, vendorId: string): Caller {
  const c = requireRole(caller, 'staff', 'admin');
  if (c.role === 'admin' || (c.vendorId === vendorId && c.isOwner)) return c;
  throw new SlotcastError('FORBIDDEN', 'Only an owner of this vendor or an admin may do this');
}
