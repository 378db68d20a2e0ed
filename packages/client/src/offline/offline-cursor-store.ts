import type { CursorStore } from '../cursor-store.js';
import { OfflineDb } from './offline-db.js';

/**
 * The replay cursor as the offline cache stores it. Reading gives the cursor the cached tables reflect; writing is
 * left to the cache, which moves the cursor in the same transaction as the events' effects (OfflineCache.applyEnvelopes):
 * a cursor saved on its own could run ahead of tables a crash left behind. The stream still saves after replay:done
 * and resync; skipping those costs at most a replay that overlaps what is cached (deduplicated by event id).
 */
export class OfflineCursorStore implements CursorStore {
  constructor(private readonly opts: ConstructorParameters<typeof OfflineDb>[1] = {}) {}

  async get(userId: string): Promise<number | null> {
    const db = new OfflineDb(userId, this.opts);
    try {
      const v = (await db.meta.get('cursor'))?.value;
      return typeof v === 'number' ? v : null;
    } finally {
      db.close();
    }
  }

  set(): void {}

  delete(): void {}
}
