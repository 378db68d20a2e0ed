import { API_PREFIX } from '@slotcast/protocol';
import type { HourPlan } from './hour-plan.js';
import type { LoadHttp } from './load-http.js';
import type { VirtualUser } from './virtual-user.js';
import type { WorkerCounters } from './worker-counters.js';

export type FlowName = 'browse-book-cancel' | 'staff';
type Step = 'confirm' | 'reschedule' | 'cancel';

interface BookingRef {
  id: string;
  version: number;
  resourceId: string;
}

interface Chain {
  booking: BookingRef;
  customer: VirtualUser;
  staff: VirtualUser | null;
  next: Step[];
}

export interface FlowDeps {
  flow: FlowName;
  http: LoadHttp;
  plan: HourPlan;
  customers: readonly VirtualUser[];
  /** This worker's staff users by vendor id (the staff flow books only at vendors that have some here). */
  staffByVendor: ReadonlyMap<string, readonly VirtualUser[]>;
  counters: WorkerCounters;
  random: () => number;
}

const pick = <T>(list: readonly T[], random: () => number): T => list[Math.floor(random() * list.length)]!;

/**
 * Simulated users' booking journeys over the REST API. Each call of `step` is one booking transition (an event):
 * the next step of a journey under way, or a new booking. browse-book-cancel: a customer reads the day's availability,
 * books, and later cancels. staff: a customer requests, a staff member of the vendor confirms, reschedules to
 * another free hour, and cancels. Slots come from the HourPlan, so no two bookings collide.
 */
export class BookingFlows {
  private readonly ready: Chain[] = [];

  constructor(private readonly d: FlowDeps) {}

  async step(): Promise<void> {
    const chain = this.ready.shift();
    if (chain) return this.advance(chain);
    return this.book();
  }

  private async book(): Promise<void> {
    const { http, plan, random } = this.d;
    const customer = pick(this.d.customers, random);
    const slot = plan.take();
    const ctx = customer.ctx;
    if (this.d.flow === 'browse-book-cancel') {
      const day = slot.startAt.toISOString().slice(0, 10);
      await http.request(
        ctx.url,
        'GET',
        `${API_PREFIX}/resources/${slot.resourceId}/availability?serviceId=${slot.serviceId}&from=${day}&to=${day}`,
        { localAddress: ctx.localAddress },
      );
    }
    const res = await http.request(ctx.url, 'POST', `${API_PREFIX}/bookings`, {
      token: customer.spec.token,
      localAddress: ctx.localAddress,
      idempotent: true,
      body: { resourceId: slot.resourceId, serviceId: slot.serviceId, startAt: slot.startAt.toISOString() },
    });
    if (res.status !== 201) return;
    this.d.counters.counts.transitions++;
    const booking = res.body as BookingRef;
    if (this.d.flow === 'browse-book-cancel') {
      this.ready.push({ booking, customer, staff: null, next: ['cancel'] });
    } else {
      const staff = pick(this.d.staffByVendor.get(slot.vendorId) ?? [], random);
      this.ready.push({ booking, customer, staff, next: ['confirm', 'reschedule', 'cancel'] });
    }
  }

  private async advance(chain: Chain): Promise<void> {
    const step = chain.next.shift()!;
    const actor = chain.staff ?? chain.customer;
    const ctx = actor.ctx;
    const path =
      step === 'reschedule'
        ? `${API_PREFIX}/bookings/${chain.booking.id}/reschedule`
        : `${API_PREFIX}/bookings/${chain.booking.id}/${step}`;
    const body =
      step === 'reschedule'
        ? {
            version: chain.booking.version,
            startAt: this.d.plan.takeOn(chain.booking.resourceId).startAt.toISOString(),
          }
        : { version: chain.booking.version };
    const res = await this.d.http.request(ctx.url, 'POST', path, {
      token: actor.spec.token,
      localAddress: ctx.localAddress,
      idempotent: true,
      body,
    });
    if (res.status !== 200) return;
    this.d.counters.counts.transitions++;
    chain.booking = res.body as BookingRef;
    if (chain.next.length) this.ready.push(chain);
  }
}
