import type { SlotcastClient } from '@slotcast/client';
import type { Booking, BookingCustomer } from '@slotcast/protocol';
import { useEffect, useSyncExternalStore } from 'react';
import type { LiveSession } from '../sdk/live-session.js';
import { useLive, useSdk } from '../sdk/slotcast-context.js';

/**
 * Who booked, as the server told this signed-in staff member or admin. Live events carry no personal details, so a
 * booking that arrives over the socket gets its customer from here: remembered from REST reads, or asked for once.
 * One directory per live session (per signed-in user), so a later sign-in in this tab starts empty.
 */
export class CustomerDirectory {
  private readonly known = new Map<string, BookingCustomer>();
  private readonly asking = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private version = 0;

  constructor(private readonly sdk: SlotcastClient) {}

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  getVersion = () => this.version;

  get(customerId: string): BookingCustomer | undefined {
    return this.known.get(customerId);
  }

  remember(customerId: string, customer: BookingCustomer): void {
    const had = this.known.get(customerId);
    if (had && had.name === customer.name && had.email === customer.email && had.phone === customer.phone) return;
    this.known.set(customerId, customer);
    this.version++;
    for (const l of [...this.listeners]) l();
  }

  /** Reads the booking once to learn its customer (the server decides whether this user may know them). */
  request(booking: Booking): void {
    if (this.known.has(booking.customerId) || this.asking.has(booking.customerId)) return;
    this.asking.add(booking.customerId);
    this.sdk.api.bookings
      .get(booking.id)
      .then((b) => {
        if (b.customer) this.remember(b.customerId, b.customer);
      })
      .catch(() => {
        // Not fatal: the booking shows its short id until the next read.
        this.asking.delete(booking.customerId);
      });
  }
}

const directories = new WeakMap<LiveSession, CustomerDirectory>();

function useDirectory(): CustomerDirectory {
  const live = useLive();
  const sdk = useSdk();
  let dir = directories.get(live);
  if (!dir) {
    dir = new CustomerDirectory(sdk);
    directories.set(live, dir);
  }
  return dir;
}

/** The customer of a booking for staff and admins (undefined for customers, or until known). */
export function useCustomer(booking: Booking | undefined, staffView: boolean): BookingCustomer | undefined {
  const dir = useDirectory();
  useSyncExternalStore(dir.subscribe, dir.getVersion);
  useEffect(() => {
    if (!booking || !staffView) return;
    if (booking.customer) dir.remember(booking.customerId, booking.customer);
    else dir.request(booking);
  }, [dir, booking, staffView]);
  if (!booking || !staffView) return undefined;
  return booking.customer ?? dir.get(booking.customerId);
}

export const customerLabel = (customer: BookingCustomer | undefined, customerId: string) =>
  customer?.name ?? `Customer #${customerId.slice(0, 6)}`;
