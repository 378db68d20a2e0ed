import type { Resource, Service, Vendor } from '@slotcast/protocol';
import { LRUCache } from 'lru-cache';
import { getResource, getService, getVendor } from './catalog-repo.js';
import type { Db, Queryable } from './db.js';

/** NOTIFY channel of migrations/007_catalog_change_notify.sql: the id of a vendor, resource or service that changed. */
export const CATALOG_CHANNEL = 'slotcast_catalog';

type Row = Vendor | Resource | Service;

/**
 * This node's copy of catalogue rows (vendors, resources, services) that every booking reads. A trigger notifies every
 * node of each change, by any path, and the row is dropped; the node making a change also drops it at once. The TTL
 * only bounds staleness if a notification is lost (the listener reconnecting).
 *
 * Race: a read that started before a change may finish after its notification and would cache the old row. Every
 * invalidation bumps `epoch`, and a read stores its row only if no invalidation happened while it ran.
 */
export class CatalogCache {
  private readonly rows: LRUCache<string, Row>;
  private epoch = 0;
  private unlisten: (() => Promise<void>) | null = null;

  constructor(
    private readonly db: Db,
    opts: { max?: number; ttlMs?: number } = {},
  ) {
    this.rows = new LRUCache<string, Row>({ max: opts.max ?? 10_000, ttl: opts.ttlMs ?? 60_000 });
  }

  async start(): Promise<void> {
    this.unlisten = await this.db.listen(CATALOG_CHANNEL, (id) => this.invalidate(id));
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    this.unlisten = null;
  }

  /** Drops whatever is cached under this id (vendor, resource or service: ids are unique uuids). */
  invalidate(id: string): void {
    this.epoch++;
    this.rows.delete(`v:${id}`);
    this.rows.delete(`r:${id}`);
    this.rows.delete(`s:${id}`);
  }

  vendor = (q: Queryable, id: string) => this.read(`v:${id}`, () => getVendor(q, id));
  resource = (q: Queryable, id: string) => this.read(`r:${id}`, () => getResource(q, id));
  service = (q: Queryable, id: string) => this.read(`s:${id}`, () => getService(q, id));

  private async read<T extends Row>(key: string, load: () => Promise<T | null>): Promise<T | null> {
    const hit = this.rows.get(key);
    if (hit) return hit as T;
    const epoch = this.epoch;
    const row = await load();
    // Misses are not cached: a row created a moment later must be found.
    if (row && epoch === this.epoch) this.rows.set(key, row);
    return row;
  }
}
