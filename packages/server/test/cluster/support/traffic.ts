import { randomUUID } from 'node:crypto';
import { type ClientToServerEvents, decodeEventFrame, type Role, type ServerToClientEvents } from '@slotcast/protocol';
import { io, type Socket } from 'socket.io-client';
import type { Db } from '../../../src/store/db.js';
import { type EventScope, readEvents } from '../../../src/store/event-log.js';
import type { Party, VendorWorld } from '../../support/world.js';
import { sleep, waitFor } from './services.js';

export interface Viewer {
  party: Party;
  role: Role;
  vendorId: string | null;
}

/** The scope the gateway gives a socket of this viewer (gateway.ts), for reading the truth from the log. */
export const scopeOf = (v: Viewer): EventScope => ({
  userId: v.party.user.id,
  all: v.role === 'admin',
  vendorId: v.role === 'staff' ? v.vendorId : null,
  customerId: v.role === 'customer' ? v.party.user.id : null,
});

/**
 * A client as the SDK behaves: reconnects by itself (through the load balancer, to whichever node) and resumes from
 * the last event id it processed. It records every event id it receives, so a test can compare with the log.
 */
export class ResilientClient {
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  readonly ids: number[] = [];
  duplicates = 0;
  disconnects = 0;
  connects = 0;
  resyncs = 0;
  last: number;

  constructor(
    url: string,
    readonly viewer: Viewer,
    startAfter: number,
  ) {
    this.last = startAfter;
    this.socket = io(url, {
      transports: ['websocket'],
      reconnection: true,
      reconnectionDelay: 100,
      reconnectionDelayMax: 1000,
      randomizationFactor: 0.5,
      timeout: 5000,
      // A function, so every reconnection sends the cursor as it is then.
      auth: (cb) => cb({ token: viewer.party.token, lastEventId: this.last }),
    });
    this.socket.on('events', (frame) => {
      for (const e of decodeEventFrame(frame) ?? []) {
        if (e.id <= this.last) {
          this.duplicates++;
          continue;
        }
        this.ids.push(e.id);
        this.last = e.id;
      }
    });
    this.socket.on('connect', () => this.connects++);
    this.socket.on('disconnect', () => this.disconnects++);
    this.socket.on('resync:required', () => this.resyncs++);
  }

  connected(): Promise<void> {
    return waitFor('client connected', async () => this.socket.connected, 15_000, 20).then(() => undefined);
  }

  close() {
    this.socket.disconnect();
  }
}

/** Every event in the log the viewer may see, after `after`, in id order: what a client must end up with. */
export async function truth(db: Db, v: Viewer, after: number): Promise<number[]> {
  const ids: number[] = [];
  for (let from = after; ; ) {
    const rows = await readEvents(db, scopeOf(v), from, Number.MAX_SAFE_INTEGER, 5000);
    ids.push(...rows.map((r) => r.envelope.id));
    if (rows.length < 5000) return ids;
    from = rows.at(-1)!.envelope.id;
  }
}

/**
 * Waits until the client has everything the log holds for it (the log may still grow a little after the writer
 * stops: notifications are appended by a worker), then returns what it got and what it should have got; the caller
 * compares, so a failure shows exactly which ids are missing or extra.
 */
export async function settle(db: Db, c: ResilientClient, after: number, ms = 20_000) {
  const deadline = Date.now() + ms;
  let expected = await truth(db, c.viewer, after);
  while (Date.now() < deadline) {
    if (c.last >= (expected.at(-1) ?? after)) {
      await sleep(300);
      const again = await truth(db, c.viewer, after);
      if (again.length === expected.length) break;
      expected = again;
    } else {
      await sleep(50);
    }
  }
  return { got: [...c.ids], expected, duplicates: c.duplicates, resyncs: c.resyncs };
}

export interface WriterStats {
  created: number;
  confirmed: number;
  unavailable: number;
  unavailableWithoutRetryAfter: number;
  otherErrors: number;
  networkErrors: number;
}

/**
 * Commits a steady stream of booking changes through the load balancer: customers book, staff confirm. Refusals and
 * network errors are counted and the loop carries on (after a short pause), as a real client would retry.
 */
export function startWriter(
  lbUrl: string,
  parties: { customers: Party[]; vendors: VendorWorld[] },
  opts: { firstDay: number; concurrency?: number; pauseMs?: number },
) {
  const stats: WriterStats = {
    created: 0,
    confirmed: 0,
    unavailable: 0,
    unavailableWithoutRetryAfter: 0,
    otherErrors: 0,
    networkErrors: 0,
  };
  let stopped = false;
  let slot = 0;
  const call = async (method: string, path: string, token: string, body: unknown) => {
    try {
      const res = await fetch(`${lbUrl}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': randomUUID(),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(5000),
      });
      const json = (await res.json().catch(() => null)) as { id?: string } | null;
      if (res.status === 503) {
        stats.unavailable++;
        if (!res.headers.get('retry-after')) stats.unavailableWithoutRetryAfter++;
      } else if (res.status >= 400) stats.otherErrors++;
      return { status: res.status, body: json };
    } catch {
      stats.networkErrors++;
      return { status: 0, body: null };
    }
  };
  const loop = async () => {
    while (!stopped) {
      const n = slot++;
      const v = parties.vendors[n % parties.vendors.length]!;
      const customer = parties.customers[n % parties.customers.length]!;
      const resource = Math.floor(n / parties.vendors.length) % 2 ? v.resource2 : v.resource;
      const k = Math.floor(n / (parties.vendors.length * 2));
      const start = new Date();
      start.setUTCHours(0, 0, 0, 0);
      start.setUTCDate(start.getUTCDate() + opts.firstDay + Math.floor(k / 24));
      start.setUTCHours(k % 24);
      const created = await call('POST', '/bookings', customer.token, {
        resourceId: resource.id,
        serviceId: v.service.id,
        startAt: start.toISOString(),
      });
      if (created.status === 201 && created.body?.id) {
        stats.created++;
        const confirmed = await call('POST', `/bookings/${created.body.id}/confirm`, v.staff.token, { version: 1 });
        if (confirmed.status === 200) stats.confirmed++;
      } else {
        await sleep(100);
      }
      if (opts.pauseMs) await sleep(opts.pauseMs);
    }
  };
  const loops = Array.from({ length: opts.concurrency ?? 2 }, loop);
  return {
    stats,
    async stop() {
      stopped = true;
      await Promise.all(loops);
      return stats;
    },
  };
}
