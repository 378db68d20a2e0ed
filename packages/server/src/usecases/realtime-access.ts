import type { FollowTarget } from '@slotcast/protocol';
import { SlotcastError } from '@slotcast/protocol';
import DataLoader from 'dataloader';
import { LRUCache } from 'lru-cache';
import type { ActorContext } from '../domain/booking-transitions.js';
import { maySee } from '../domain/booking-transitions.js';
import { getBooking } from '../store/bookings-repo.js';
import { getResource } from '../store/catalog-repo.js';
import type { Queryable } from '../store/db.js';
import {
  type EventScope,
  latestEventId,
  prunedThrough,
  readEventsMany,
  type ScopedRead,
  type StoredEvent,
} from '../store/event-log.js';
import { batchPerTurn } from './loader-batching.js';

export type { EventScope };

/** What a follow needs to know about its target: who may see a booking; whether a resource exists. */
type Parties = { found: false } | { found: true; vendorId: string; customerId: string | null };

export interface RealtimeAccessOptions {
  /** How long a follow target's parties are trusted without asking the database again. */
  followCacheMs?: number;
  followCacheMax?: number;
}

const bookingRoom = (id: string) => `booking:${id}`;
const resourceRoom = (id: string) => `resource:${id}`;

/**
 * The realtime gateway's way to the data: follow authorisation and replay reads, so `realtime/` never reaches into
 * `store/`. Follow targets' parties are cached briefly: a reconnect storm re-sends every client's follows at once, and
 * a booking's customer and vendor never change, while a target that did not exist yet is asked again after the TTL.
 */
export class RealtimeAccess {
  private readonly parties: LRUCache<string, Parties>;
  private readonly reads = new DataLoader<{ read: ScopedRead; limit: number }, StoredEvent[]>(
    async (keys) => {
      // One statement per page size (replays all use the same one).
      const out = new Array<StoredEvent[]>(keys.length);
      for (const limit of new Set(keys.map((k) => k.limit))) {
        const at = keys.flatMap((k, i) => (k.limit === limit ? [i] : []));
        const rows = await readEventsMany(
          this.db,
          at.map((i) => keys[i]!.read),
          limit,
        );
        at.forEach((i, j) => {
          out[i] = rows[j]!;
        });
      }
      return out;
    },
    { cache: false, maxBatchSize: 200, batchScheduleFn: batchPerTurn },
  );
  private readonly pruned = new DataLoader<number, number>(
    async (keys) => {
      const through = await prunedThrough(this.db);
      return keys.map(() => through);
    },
    { cache: false, batchScheduleFn: batchPerTurn },
  );

  constructor(
    private readonly db: Queryable,
    opts: RealtimeAccessOptions = {},
  ) {
    this.parties = new LRUCache({ max: opts.followCacheMax ?? 50_000, ttl: opts.followCacheMs ?? 5_000 });
  }

  /**
   * Checks a follow request against the REST rules and returns the room: a booking only if the caller may see it; a
   * resource's schedule (intervals only, no personal data) by anyone signed in, as its availability is public.
   */
  async authorizeFollow(actor: ActorContext, target: FollowTarget): Promise<string> {
    const p = await this.partiesOf(target);
    if (target.kind === 'booking') {
      if (!p.found || !maySee(actor, { vendorId: p.vendorId, customerId: p.customerId ?? '' })) {
        throw new SlotcastError('NOT_FOUND', 'No such booking');
      }
      return bookingRoom(target.id);
    }
    if (!p.found) throw new SlotcastError('NOT_FOUND', 'No such resource');
    return resourceRoom(target.id);
  }

  /**
   * Events after `afterId` up to `throughId` that `scope` may see, in id order. Reads asked for in the same event-loop
   * turn (the replays of a reconnect storm) go to the database as one statement.
   */
  readScoped(scope: EventScope, afterId: number, throughId: number, limit: number): Promise<StoredEvent[]> {
    return this.reads.load({ read: { scope, afterId, throughId }, limit });
  }

  /**
   * The last event id removed by retention: cursors below it cannot be replayed. Callers in the same event-loop turn
   * share one read, which starts after every one of them asked, so none gets an older answer than its own query would
   * have.
   */
  prunedThrough(): Promise<number> {
    return this.pruned.load(0);
  }

  /** The highest committed event id. */
  latestEventId(): Promise<number> {
    return latestEventId(this.db);
  }

  private async partiesOf(target: FollowTarget): Promise<Parties> {
    const key = `${target.kind}:${target.id}`;
    const cached = this.parties.get(key);
    if (cached) return cached;
    let p: Parties;
    if (target.kind === 'booking') {
      const b = await getBooking(this.db, target.id);
      p = b ? { found: true, vendorId: b.vendorId, customerId: b.customerId } : { found: false };
    } else {
      const r = await getResource(this.db, target.id);
      p = r ? { found: true, vendorId: r.vendorId, customerId: null } : { found: false };
    }
    this.parties.set(key, p);
    return p;
  }
}
