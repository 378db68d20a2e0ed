import type { CursorStore } from '../cursor-store.js';
import type { OfflineDb } from './offline-db.js';

/**
 * The offline store's cursor (OfflineCursorStore), with the store's code loaded on the first read rather than with
 * the SDK: the realtime client reads the cursor only when it connects, after the app's first paint. Writes are the
 * cache's, as with OfflineCursorStore.
 */
export function lazyOfflineCursorStore(opts: ConstructorParameters<typeof OfflineDb>[1] = {}): CursorStore {
  let store: Promise<CursorStore> | null = null;
  const load = () => {
    store ??= import('./offline-cursor-store.js').then((m) => new m.OfflineCursorStore(opts));
    return store;
  };
  return {
    get: async (userId) => (await load()).get(userId),
    set: () => {},
    delete: () => {},
  };
}
