/**
 * Lost and duplicated events, by cursor accounting per client. Each client's baseline is the cursor it went live with
 * first (`replay:done.lastEventId`); from then to the end of the run (`through`, the last event id once the log was
 * quiet) it must have received every event the protocol lets it see, once each, in id order, whatever reconnects and
 * replays happened between. What it may see is the rule replay and live delivery share (store/event-log.ts readEvents,
 * realtime/rooms.ts recipientRooms): a private event only its user; any other its customer, its vendor's staff, admins.
 */

export interface LoggedEvent {
  id: number;
  userId: string | null;
  vendorId: string | null;
  customerId: string | null;
}

export interface ClientLedger {
  userId: string;
  role: 'customer' | 'staff' | 'admin';
  vendorId: string | null;
  /** The cursor the client went live with first; null if it never did (not checked). */
  from: number | null;
  /** Every event id received, in arrival order, duplicates included. */
  ids: ArrayLike<number>;
  /** The server answered a replay with resync:required: the client reloads over REST, so gaps are allowed. */
  resynced?: boolean;
  /** More ids than the worker keeps per client: not checked. */
  overflow?: boolean;
}

export interface LedgerResult {
  clients: number;
  checked: number;
  /** Deliveries the protocol promises between each client's baseline and `through`. */
  expected: number;
  /** Deliveries received in that window (each arrival, duplicates included). */
  received: number;
  lost: number;
  duplicated: number;
  /** Received but not the client's to see, or below its baseline: a leak, or a duplicate of a pre-baseline event. */
  unexpected: number;
  /** Arrived after a higher id on the same client, and not a duplicate. */
  outOfOrder: number;
  clientsWithLoss: number;
  clientsWithDuplicates: number;
  skipped: { neverLive: number; resynced: number; overflow: number };
  /** A few concrete findings, for the report. */
  samples: string[];
  through: number;
}

const MAX_SAMPLES = 8;

export function visibleTo(e: LoggedEvent, c: Pick<ClientLedger, 'userId' | 'role' | 'vendorId'>): boolean {
  if (e.userId) return e.userId === c.userId;
  if (c.role === 'admin') return true;
  if (c.role === 'staff') return c.vendorId !== null && e.vendorId === c.vendorId;
  return e.customerId === c.userId;
}

/** Event ids by who may see them, each list ascending. */
class Index {
  readonly byUser = new Map<string, number[]>();
  readonly byVendor = new Map<string, number[]>();
  readonly byCustomer = new Map<string, number[]>();
  readonly shared: number[] = [];

  constructor(events: readonly LoggedEvent[]) {
    const sorted = [...events].sort((a, b) => a.id - b.id);
    const push = (m: Map<string, number[]>, k: string, id: number) => {
      const list = m.get(k);
      if (list) list.push(id);
      else m.set(k, [id]);
    };
    for (const e of sorted) {
      if (e.userId) {
        push(this.byUser, e.userId, e.id);
        continue;
      }
      this.shared.push(e.id);
      if (e.vendorId) push(this.byVendor, e.vendorId, e.id);
      if (e.customerId) push(this.byCustomer, e.customerId, e.id);
    }
  }

  visible(c: ClientLedger): number[][] {
    const lists = [this.byUser.get(c.userId) ?? []];
    if (c.role === 'admin') lists.push(this.shared);
    else if (c.role === 'staff') lists.push(c.vendorId ? (this.byVendor.get(c.vendorId) ?? []) : []);
    else lists.push(this.byCustomer.get(c.userId) ?? []);
    return lists;
  }
}

/** Checks every client against the log. `events` must hold every event with an id in (min baseline, through]. */
export function checkDeliveries(
  events: readonly LoggedEvent[],
  clients: readonly ClientLedger[],
  through: number,
): LedgerResult {
  const index = new Index(events);
  const r: LedgerResult = {
    clients: clients.length,
    checked: 0,
    expected: 0,
    received: 0,
    lost: 0,
    duplicated: 0,
    unexpected: 0,
    outOfOrder: 0,
    clientsWithLoss: 0,
    clientsWithDuplicates: 0,
    skipped: { neverLive: 0, resynced: 0, overflow: 0 },
    samples: [],
    through,
  };
  const sample = (s: string) => {
    if (r.samples.length < MAX_SAMPLES) r.samples.push(s);
  };
  for (const c of clients) {
    if (c.from === null) {
      r.skipped.neverLive++;
      continue;
    }
    if (c.resynced) {
      r.skipped.resynced++;
      continue;
    }
    if (c.overflow) {
      r.skipped.overflow++;
      continue;
    }
    r.checked++;
    const from = c.from;
    const expected = new Set<number>();
    for (const list of index.visible(c)) {
      for (const id of list) if (id > from && id <= through) expected.add(id);
    }
    r.expected += expected.size;

    const seen = new Set<number>();
    let highest = -Infinity;
    let dups = 0;
    for (let i = 0; i < c.ids.length; i++) {
      const id = c.ids[i]!;
      if (id > through) continue;
      if (id <= from) {
        r.unexpected++;
        sample(`${c.userId}: event ${id} at or below its baseline ${from}`);
        continue;
      }
      r.received++;
      if (seen.has(id)) {
        dups++;
        sample(`${c.userId}: event ${id} received again`);
        continue;
      }
      seen.add(id);
      if (id < highest) {
        r.outOfOrder++;
        sample(`${c.userId}: event ${id} after ${highest}`);
      }
      highest = Math.max(highest, id);
      if (!expected.has(id)) {
        r.unexpected++;
        sample(`${c.userId}: event ${id} is not its to see`);
      }
    }
    let lost = 0;
    let firstLost = Infinity;
    for (const id of expected) {
      if (!seen.has(id)) {
        lost++;
        firstLost = Math.min(firstLost, id);
      }
    }
    if (lost) sample(`${c.userId}: missed ${lost} events, the first ${firstLost} (${c.role}, baseline ${from})`);
    r.duplicated += dups;
    r.lost += lost;
    if (lost) r.clientsWithLoss++;
    if (dups) r.clientsWithDuplicates++;
  }
  return r;
}
